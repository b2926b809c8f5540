package io.ctcohort.engine.cli;

import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.TestModels;
import io.ctcohort.engine.nifti.NiftiReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's commands take a DICOM series folder wherever they take a CT: the reference series
 * give the same statistics.json, label map and volume as example_ct.nii.gz, and no output or
 * message carries the patient name planted in every reference file.
 */
class DicomCommandsTest {
    private static final String PLANTED_NAME = "SECRET";
    @TempDir
    Path tmp;

    private static Path series(String folder) {
        return TestData.reference().resolve("dicom").resolve(folder);
    }

    private static int run(Object command, StringWriter err, String... args) {
        CommandLine cl = BadInputHandler.commandLine(command);
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void statsOfASeriesFolderEqualStatsOfTheNifti() throws Exception {
        Path seg = TestData.totalSegmentator("example_seg_fast_force_split.nii.gz");
        Path fromNifti = tmp.resolve("nifti.json");
        Path fromDicom = tmp.resolve("dicom.json");
        StringWriter err = new StringWriter();
        assertEquals(0, run(new StatsCommand(), err, "--ct", TestData.totalSegmentator("example_ct.nii.gz").toString(),
                "--seg", seg.toString(), "--extra", "--out", fromNifti.toString()), err.toString());
        assertEquals(0, run(new StatsCommand(), err, "--ct", series("jpeg2000_lossless").toString(), "--seg",
                seg.toString(), "--extra", "--out", fromDicom.toString()), err.toString());
        String json = Files.readString(fromDicom);
        assertTrue(json.contains("\"liver\""), json.substring(0, 200));
        assertEquals(Files.readString(fromNifti), json);
        assertFalse(err.toString().contains(PLANTED_NAME), err.toString());
    }

    @Test
    void convertWritesTheVolumeItReads() throws Exception {
        Path out = tmp.resolve("rle.nii.gz");
        StringWriter err = new StringWriter();
        assertEquals(0, run(new ConvertCommand(), err, "--in", series("rle").toString(), "--out", out.toString()));
        assertTrue(err.toString().contains("112 slices"), err.toString());
        CtVolume expected = NiftiReader.read(TestData.totalSegmentator("example_ct.nii.gz")).toCt();
        CtVolume written = NiftiReader.read(out).toCt();
        assertArrayEquals(expected.hu(), written.hu());
        assertArrayEquals(expected.geometry().affine(), written.geometry().affine(), 1e-4);
        assertFalse(err.toString().contains(PLANTED_NAME), err.toString());
        assertFalse(new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1).contains(PLANTED_NAME));
    }

    @Test
    void convertRefusesAFolderOfSeveralSeriesNamingThem() {
        StringWriter err = new StringWriter();
        Path study = series("study_three_series");
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, run(new ConvertCommand(), err, "--in", study.toString(), "--out",
                tmp.resolve("x.nii.gz").toString()));
        assertTrue(err.toString().contains(study + ": holds 2 series"), err.toString());
        assertFalse(err.toString().contains(PLANTED_NAME), err.toString());
    }

    @Test
    void segmentOneOnASeriesGivesTheNiftisLabels() throws Exception {
        Path model = TestModels.dir("pointwise5");
        Path fromNifti = tmp.resolve("nifti_seg.nii.gz");
        Path fromDicom = tmp.resolve("dicom_seg.nii.gz");
        PrintStream saved = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            StringWriter err = new StringWriter();
            assertEquals(0, run(new SegmentOneCommand(), err, "--ct",
                    TestData.totalSegmentator("example_ct.nii.gz").toString(), "--model", model.toString(), "--out",
                    fromNifti.toString()), err.toString());
            assertEquals(0, run(new SegmentOneCommand(), err, "--ct", series("jpegls_lossless").toString(), "--model",
                    model.toString(), "--out", fromDicom.toString()), err.toString());
        } finally {
            System.setOut(saved);
        }
        LabelVolume a = NiftiReader.read(fromNifti).toLabels();
        LabelVolume b = NiftiReader.read(fromDicom).toLabels();
        assertArrayEquals(a.geometry().dims(), b.geometry().dims());
        int differing = 0;
        int labelled = 0;
        for (int i = 0; i < a.geometry().voxelCount(); i++) {
            differing += a.get(i) != b.get(i) ? 1 : 0;
            labelled += a.get(i) != 0 ? 1 : 0;
        }
        assertTrue(labelled > 1000, "the model labels something: " + labelled);
        assertEquals(0, differing);
        assertFalse(stdout.toString(StandardCharsets.UTF_8).contains(PLANTED_NAME));
    }
}
