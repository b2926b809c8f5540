package io.ctcohort.engine.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.phantom.PhantomExam;
import io.ctcohort.engine.phantom.PhantomGenerator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {

    @Test
    void writesImagesLabelsManifestsAndTruthByteIdenticalForASeed(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, new CommandLine(new SynthCommand()).execute("--out", a.toString(), "--exams", "3", "--seed", "8"));
        assertEquals(0, new CommandLine(new SynthCommand()).execute("--out", b.toString(), "--exams", "3", "--seed", "8",
                "--threads", "1"));

        List<String> manifest = Files.readAllLines(a.resolve("manifest.csv"));
        assertEquals("exam_id,patient_id,image_uri,age,sex,scan_date", manifest.get(0));
        assertEquals(4, manifest.size());
        List<String> masks = Files.readAllLines(a.resolve("manifest_masks.csv"));
        assertTrue(masks.get(0).endsWith(",mask_uri"));
        List<String> truth = Files.readAllLines(a.resolve("truth.csv"));
        assertEquals(1 + 3 * 17, truth.size());

        PhantomGenerator gen = new PhantomGenerator(8);
        for (int i = 0; i < 3; i++) {
            String[] row = masks.get(i + 1).split(",");
            PhantomExam e = gen.generate(i);
            assertEquals(e.examId(), row[0]);
            assertEquals(String.valueOf(e.demographics().age()), row[3]);
            URI image = URI.create(row[2]);
            assertEquals("file", image.getScheme());
            Path imageFile = Path.of(image);
            assertTrue(imageFile.isAbsolute());
            // Same seed, any thread count: identical bytes.
            String name = imageFile.getFileName().toString();
            assertArrayEquals(Files.readAllBytes(imageFile), Files.readAllBytes(b.resolve("images").resolve(name)));
            assertArrayEquals(Files.readAllBytes(Path.of(URI.create(row[6]))),
                    Files.readAllBytes(b.resolve("labels").resolve(name)));
            // What was written is the generated exam.
            CtVolume ct = NiftiReader.read(imageFile).toCt();
            LabelVolume labels = NiftiReader.read(Path.of(URI.create(row[6]))).toLabels();
            assertArrayEquals(e.ct().hu(), ct.hu());
            assertArrayEquals(e.ct().geometry().dims(), ct.geometry().dims());
            for (int k = 0; k < e.labels().geometry().voxelCount(); k += 97) {
                assertEquals(e.labels().get(k), labels.get(k));
            }
        }
        assertEquals(Files.readString(a.resolve("truth.csv")), Files.readString(b.resolve("truth.csv")));
    }

    @Test
    void truthOnlyWritesNoImages(@TempDir Path tmp) throws Exception {
        assertEquals(0, new CommandLine(new SynthCommand()).execute("--out", tmp.toString(), "--exams", "2",
                "--truth-only"));
        assertTrue(Files.exists(tmp.resolve("truth.csv")));
        assertFalse(Files.exists(tmp.resolve("images")));
        assertEquals(1 + 2 * 17, Files.readAllLines(tmp.resolve("truth.csv")).size());
    }

    @Test
    void rejectsZeroExams(@TempDir Path tmp) {
        assertNotEquals(0, new CommandLine(new SynthCommand()).execute("--out", tmp.toString(), "--exams", "0"));
    }
}
