package io.ctcohort.pipeline.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ctcohort.engine.input.ImageRef;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fingerprints taken from a folder listing (remote stores) or by local stats equal those looked up one file at a time. */
class InputFingerprintTest {
    @TempDir
    Path tmp;

    /** The local file system posing as HDFS, as a remote store looks: its folders are listed. */
    public static final class ListedFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create(LISTED);
        }
    }

    private static final String LISTED = "hdfs://listed";

    @Test
    void listedFolderGivesTheSameFingerprintsAsOneLookupPerFile() throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.hdfs.impl", ListedFileSystem.class.getName());
        conf.setBoolean("fs.hdfs.impl.disable.cache", true);
        assertSameAsOneLookupPerFile(tmp.resolve("local"), false, conf);
        assertSameAsOneLookupPerFile(tmp.resolve("listed"), true, conf);
    }

    private static void assertSameAsOneLookupPerFile(Path root, boolean listed, Configuration conf) throws Exception {
        Path many = Files.createDirectories(root.resolve("many"));
        List<ImageRef> uris = new ArrayList<>();
        for (int i = 0; i < InputFingerprint.LIST_MIN_FILES + 2; i++) {
            Path f = many.resolve("ex" + i + ".nii.gz");
            Files.write(f, new byte[100 + i]);
            // Sub-millisecond times: a local stat and Hadoop's local file system must cut them alike.
            Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + i, 123_456_789L * (i % 7))));
            uris.add(ImageRef.parse(listed ? LISTED + f : i % 2 == 0 ? f.toString() : f.toUri().toString()));
        }
        Path series = Files.createDirectories(many.resolve("series1"));
        Files.write(series.resolve("1.dcm"), new byte[7]);
        uris.add(ImageRef.parse((listed ? LISTED : "") + series));
        uris.add(ImageRef.parse((listed ? LISTED : "") + many.resolve("absent.nii.gz")));
        Path alone = Files.createDirectories(root.resolve("alone")).resolve("one.nii.gz");
        Files.write(alone, new byte[3]);
        uris.add(ImageRef.parse(alone.toString()));
        uris.add(null);

        List<InputFingerprint.Stat> all = InputFingerprint.ofAll(uris, conf, 4);
        assertEquals(uris.size(), all.size());
        for (int i = 0; i < uris.size(); i++) {
            InputFingerprint.Stat one = uris.get(i) == null ? new InputFingerprint.Stat(InputFingerprint.MISSING, 0)
                    : InputFingerprint.of(uris.get(i), conf);
            assertEquals(one, all.get(i), "uri " + uris.get(i));
        }
        assertEquals(InputFingerprint.MISSING, all.get(uris.size() - 3).fingerprint());
        assertNotEquals(InputFingerprint.MISSING, all.get(uris.size() - 4).fingerprint(), "a DICOM folder");
        assertEquals("size=100;mtime=" + Files.getLastModifiedTime(many.resolve("ex0.nii.gz")).toMillis(),
                all.get(0).fingerprint());
    }

    /**
     * A DICOM folder's fingerprint keeps the form earlier runs published (so that they still carry over):
     * files, total size and the SHA-256 of each file's name below the folder and its own fingerprint;
     * the series a reference names plays no part (the folder's files are its input).
     */
    @Test
    void aSeriesFolderKeepsItsPublishedFingerprint() throws Exception {
        Path series = Files.createDirectories(tmp.resolve("study"));
        Files.write(series.resolve("1.dcm"), new byte[7]);
        Files.write(Files.createDirectories(series.resolve("sub")).resolve("2.dcm"), new byte[5]);
        String line1 = "/1.dcm size=7;mtime=" + Files.getLastModifiedTime(series.resolve("1.dcm")).toMillis();
        String line2 = "/sub/2.dcm size=5;mtime="
                + Files.getLastModifiedTime(series.resolve("sub/2.dcm")).toMillis();
        String expected = "files=2;size=12;digest=" + ModelIdentity.sha256Hex(line1 + "\n" + line2);
        Configuration conf = new Configuration();
        assertEquals(new InputFingerprint.Stat(expected, 12), InputFingerprint.of(ImageRef.parse(series.toString()), conf));
        assertEquals(expected, InputFingerprint.of(ImageRef.parse(series + "#1.2.3.4"), conf).fingerprint());
        assertEquals(expected, InputFingerprint.of(ImageRef.parse(series.toUri().toString()), conf).fingerprint());
    }

    /**
     * A reference label map is part of an exam's input: its fingerprint joins the task's where there is
     * one (a changed reference re-processes the exam), and an exam without one keeps the fingerprint
     * it had before references existed, so an incremental run carries it over.
     */
    @Test
    void aReferenceIsPartOfTheFingerprint() {
        io.ctcohort.engine.measure.PhaseCall phase = new io.ctcohort.engine.measure.PhaseCall(
                io.ctcohort.engine.measure.ContrastPhase.NATIVE, io.ctcohort.engine.measure.PhaseSource.MANIFEST, null);
        String files = "size=10;mtime=5";
        assertEquals(ExamTask.fingerprint(files, phase), ExamTask.fingerprint(files, phase, null));
        String withRef = ExamTask.fingerprint(files, phase, "size=3;mtime=1");
        assertEquals(ExamTask.fingerprint(files, phase) + "|reference:size=3;mtime=1", withRef);
        assertNotEquals(withRef, ExamTask.fingerprint(files, phase, "size=3;mtime=2"));
        assertEquals(InputFingerprint.MISSING, ExamTask.fingerprint(InputFingerprint.MISSING, phase, "size=3;mtime=1"),
                "a missing image stays MISSING (always processed)");
    }
}
