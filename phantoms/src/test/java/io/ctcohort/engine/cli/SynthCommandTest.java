package io.ctcohort.engine.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.engine.dicom.TinyDicomParser;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomExam;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Reorientation;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
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
        // The phase is truth, never manifest: a run must estimate it.
        assertTrue(truth.get(0).endsWith(",contrast_phase"), truth.get(0));
        assertFalse(masks.get(0).contains("phase"));
        List<String> biomarkers = Files.readAllLines(a.resolve("truth_biomarkers.csv"));
        assertEquals("exam_id,age,sex,contrast_phase,biomarker,site,value,unit", biomarkers.get(0));
        assertEquals(1 + 3 * 15, biomarkers.size());
        assertEquals(Files.readString(a.resolve("truth_biomarkers.csv")), Files.readString(b.resolve("truth_biomarkers.csv")));

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
    void dicomFormatWritesOneSeriesFolderPerExamByteIdenticalForASeed(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, new CommandLine(new SynthCommand()).execute("--out", a.toString(), "--exams", "2", "--seed", "9",
                "--format", "dicom"));
        assertEquals(0, new CommandLine(new SynthCommand()).execute("--out", b.toString(), "--exams", "2", "--seed", "9",
                "--format", "DICOM", "--threads", "1"));

        List<String> manifest = Files.readAllLines(a.resolve("manifest.csv"));
        assertEquals("exam_id,patient_id,image_uri,age,sex,scan_date", manifest.get(0));
        assertEquals(3, manifest.size());
        List<String> masks = Files.readAllLines(a.resolve("manifest_masks.csv"));
        PhantomGenerator gen = new PhantomGenerator(9);
        for (int i = 0; i < 2; i++) {
            String[] row = masks.get(i + 1).split(",");
            PhantomExam e = gen.generate(i);
            // image_uri is the exam's series folder; labels stay NIfTI.
            assertTrue(row[2].endsWith("/" + e.examId() + "/"), row[2]);
            Path folder = Path.of(URI.create(row[2]));
            assertEquals(a.resolve("images").resolve(e.examId()).toAbsolutePath(), folder);
            assertTrue(row[6].endsWith("/labels/" + e.examId() + ".nii.gz"), row[6]);
            List<Path> files;
            try (Stream<Path> s = Files.list(folder)) {
                files = s.sorted().toList();
            }
            // The series holds the CT as axial slices: the phantom reoriented to RAS.
            CtVolume axial = Reorientation.toCanonical(e.ct().geometry()).apply(e.ct());
            int nz = axial.geometry().nz();
            assertEquals(nz, files.size());
            int plane = axial.geometry().nx() * axial.geometry().ny();
            for (Path f : files) {
                assertArrayEquals(Files.readAllBytes(f),
                        Files.readAllBytes(b.resolve("images").resolve(e.examId()).resolve(f.getFileName())));
                TinyDicomParser p = TinyDicomParser.parse(f);
                String name = p.string(0x00100010);
                assertTrue(name.contains(CohortWriter.PATIENT_NAME_MARKER), name);
                assertEquals(e.patientId(), p.string(0x00100020));
                assertEquals(e.demographics().sex(), p.string(0x00100040));
                assertEquals(String.format("%03dY", e.demographics().age()), p.string(0x00101010));
                LocalDate scan = LocalDate.parse(p.string(0x00080020), DateTimeFormatter.BASIC_ISO_DATE);
                LocalDate birth = LocalDate.parse(p.string(0x00100030), DateTimeFormatter.BASIC_ISO_DATE);
                assertEquals(e.demographics().scanDate(), scan);
                assertEquals(e.demographics().age(), Period.between(birth, scan).getYears());
                int k = p.integer(0x00200013) - 1;
                short[] pixels = new short[plane];
                ByteBuffer.wrap(p.raw(0x7FE00010)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pixels);
                assertArrayEquals(Arrays.copyOfRange(axial.hu(), k * plane, (k + 1) * plane), pixels);
            }
        }
        assertEquals(Files.readString(a.resolve("truth.csv")), Files.readString(b.resolve("truth.csv")));
        assertNotEquals(0, new CommandLine(new SynthCommand()).execute("--out", tmp.resolve("c").toString(),
                "--exams", "1", "--format", "dcm"));
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
