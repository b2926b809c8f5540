package io.ctcohort.engine.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.cli.ImageRefConverter;
import io.ctcohort.engine.input.ImageRef.Scheme;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ImageRefTest {
    @ParameterizedTest
    @CsvSource({
        "/data/ct.nii.gz, FILE, /data/ct.nii.gz,",
        "images/ct.nii, FILE, images/ct.nii,",
        "file:///data/ct.nii.gz, FILE, file:///data/ct.nii.gz,",
        "s3a://bucket/exams/ct.nii.gz, S3, s3a://bucket/exams/ct.nii.gz,",
        "hdfs://nn:8020/exams/001, HDFS, hdfs://nn:8020/exams/001,",
        "/archive/study#1.2.840.113619.2.55.3, FILE, /archive/study, 1.2.840.113619.2.55.3",
        "s3a://bucket/study#1.2.3, S3, s3a://bucket/study, 1.2.3",
    })
    void parsesTheSchemeTheLocationAndTheSeries(String text, Scheme scheme, String location, String uid) {
        ImageRef ref = ImageRef.parse(text);
        assertEquals(scheme, ref.scheme());
        assertEquals(location, ref.location());
        assertEquals(uid, ref.seriesUid());
        assertEquals(text, ref.toString(), "written back as given: messages and MessagePaths match it");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3://bucket/ct.nii.gz | unknown scheme s3://; give a path, file://, s3a:// or hdfs:// (S3 is read through s3a://)",
        "gs://bucket/ct.nii.gz | unknown scheme gs://",
        "/archive/study#abc | after '#' comes a SeriesInstanceUID (digits and dots), as in DIR#1.2.840.113619.2.55.3; found 'abc'",
        "/archive/study# | found ''",
        "#1.2.3 | after '#' comes a SeriesInstanceUID",
        "s3a:///key | s3a:// needs a bucket, as in s3a://BUCKET/KEY",
        "hdfs:/x | hdfs:// needs a host, as in hdfs://HOST/PATH",
    })
    void badReferencesAreRefusedSayingWhy(String text, String says) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageRef.parse(text));
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertTrue(e.getMessage().startsWith("'" + text + "'"), "names the input: " + e.getMessage());
    }

    @Test
    void anEmptyReferenceIsRefused() {
        assertEquals("empty image location", assertThrows(IllegalArgumentException.class, () -> ImageRef.parse(" "))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageRef.parse(null));
    }

    @Test
    void aFileUriIsALocalPath() {
        assertEquals(Path.of("/data/my exams/ct.nii.gz"), ImageRef.parse("file:///data/my%20exams/ct.nii.gz").localPath());
        assertEquals(Path.of("/data/ct.nii.gz"), ImageRef.parse("/data/ct.nii.gz#1.2.3").localPath());
        assertThrows(IllegalStateException.class, () -> ImageRef.parse("s3a://b/k").localPath());
    }

    /** Tasks travel to Spark executors by Java serialization. */
    @Test
    void survivesJavaSerialization() throws Exception {
        ImageRef ref = ImageRef.parse("s3a://bucket/study#1.2.3");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ref);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(ref, in.readObject());
        }
        assertNull(ImageRef.text(null));
    }

    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--ct", converter = ImageRefConverter.class)
        ImageRef ct;
    }

    @Test
    void theCommandLineParsesOnceAndNamesTheOption() {
        Probe p = new Probe();
        new CommandLine(p).parseArgs("--ct", "/a/study#1.2.3");
        assertEquals(new ImageRef(Scheme.FILE, "/a/study", "1.2.3"), p.ct);
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> new CommandLine(new Probe()).parseArgs("--ct", "s3://b/ct.nii.gz"));
        assertTrue(e.getMessage().contains("--ct") && e.getMessage().contains("unknown scheme s3://"), e.getMessage());
    }
}
