package io.ctcohort.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        CommandLine cl = BadInputHandler.commandLine(new StatsCommand());
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void writesTotalSegmentatorsStatisticsJson() throws Exception {
        Path out = dir.resolve("statistics.json");
        StringWriter err = new StringWriter();
        int code = run(err, "--ct", TestData.totalSegmentator("example_ct_sm.nii.gz").toString(),
                "--seg", TestData.totalSegmentator("example_seg_fast.nii.gz").toString(),
                "--labels", "total", "--include-incomplete", "--out", out.toString());
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("40 of 117 structures present, 35 touch the border"), err.toString());
        JsonNode ref = new ObjectMapper().readTree(TestData.totalSegmentator("example_seg_fast_statistics.json").toFile());
        JsonNode ours = new ObjectMapper().readTree(out.toFile());
        assertEquals(ref.size(), ours.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = ref.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getValue().get("volume").asDouble(), ours.get(e.getKey()).get("volume").asDouble(), 0.0);
            assertEquals(e.getValue().get("intensity").asDouble(), ours.get(e.getKey()).get("intensity").asDouble(), 1e-4);
        }
        // laid out like Python's json.dump(indent=4): here even byte for byte the same file
        String text = Files.readString(out);
        assertEquals(Files.readString(TestData.totalSegmentator("example_seg_fast_statistics.json")), text);
        assertTrue(text.startsWith("{\n    \"spleen\": {\n        \"volume\": 260010.0,\n        \"intensity\": 33.05909\n    },"),
                text.substring(0, 120));
    }

    @Test
    void extraAndV1LabelsAndBorderRule() throws Exception {
        Path tsv = dir.resolve("two.tsv");
        Files.writeString(tsv, "label\tstructure\n5\tliver\n1\tspleen\n");
        Path out = dir.resolve("s.json");
        StringWriter err = new StringWriter();
        int code = run(err, "--ct", TestData.totalSegmentator("example_ct_sm.nii.gz").toString(),
                "--seg", TestData.totalSegmentator("example_seg_fast.nii.gz").toString(),
                "--labels", tsv.toString(), "--extra", "--out", out.toString());
        assertEquals(0, code, err.toString());
        JsonNode ours = new ObjectMapper().readTree(out.toFile());
        assertEquals("spleen", ours.fieldNames().next()); // label order, not file order
        assertEquals(0.0, ours.get("liver").get("volume").asDouble()); // touches the border
        assertEquals(39350, ours.get("liver").get("voxel_count").asLong());
        assertEquals(2, ours.size());
    }

    @Test
    void badInputIsAClearErrorNotAStackTrace() {
        Path missing = dir.resolve("missing.nii.gz");
        StringWriter err = new StringWriter();
        int code = run(err, "--ct", missing.toString(),
                "--seg", TestData.totalSegmentator("example_seg_fast.nii.gz").toString(),
                "--out", dir.resolve("x.json").toString());
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains(missing + ": file not found"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");

        StringWriter err2 = new StringWriter();
        int code2 = run(err2, "--ct", TestData.totalSegmentator("example_ct.nii.gz").toString(),
                "--seg", TestData.totalSegmentator("example_seg_fast.nii.gz").toString(),
                "--out", dir.resolve("y.json").toString());
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, code2);
        assertTrue(err2.toString().contains("example_seg_fast.nii.gz: label map does not lie on the grid of the CT "
                + TestData.totalSegmentator("example_ct.nii.gz") + ": shape 122x101x30 vs the CT's 122x101x112"),
                err2.toString());
    }

    /** TotalSegmentator's own mask of example_ct fits it, read from NIfTI and from its DICOM series alike. */
    @Test
    void realMaskFitsItsCtFromNiftiAndFromDicom() throws Exception {
        Path seg = TestData.totalSegmentator("example_seg_fast_force_split.nii.gz");
        Path dicom = TestData.reference().resolve("dicom").resolve("explicit_le_int16");
        Assumptions.assumeTrue(Files.isDirectory(dicom), "reference data absent: " + dicom);
        Path fromNifti = dir.resolve("nifti.json");
        Path fromDicom = dir.resolve("dicom.json");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "--ct", TestData.totalSegmentator("example_ct.nii.gz").toString(), "--seg",
                seg.toString(), "--include-incomplete", "--out", fromNifti.toString()), err.toString());
        assertEquals(0, run(err, "--ct", dicom.toString(), "--seg", seg.toString(), "--include-incomplete",
                "--out", fromDicom.toString()), err.toString());
        assertEquals(Files.readString(fromNifti), Files.readString(fromDicom));
        assertTrue(Files.readString(fromNifti).contains("\"liver\""));
    }

    /** A mask of the right shape on another grid is refused naming both files, not measured silently. */
    @Test
    void maskOnAnotherGridIsRefused() {
        Path ct = TestData.totalSegmentator("example_ct.nii.gz");
        LabelVolume seg = NiftiReader.read(TestData.totalSegmentator("example_seg_fast_force_split.nii.gz")).toLabels();
        Geometry g = seg.geometry();
        double[] shifted = g.affine();
        shifted[3] += 0.5;
        double[] flipped = g.affine();
        flipped[10] = -flipped[10];
        double[] finer = g.affine();
        finer[5] = 3.0006;
        Map<String, Geometry> cases = Map.of(
                "origin", g.withAffine(g.nx(), g.ny(), g.nz(), shifted, g.spacing()),
                "spacing along axis 2", g.withAffine(g.nx(), g.ny(), g.nz(), g.affine(), new double[] {3, 3, 3.0009}),
                "spacing along axis 1", g.withAffine(g.nx(), g.ny(), g.nz(), finer, g.spacing()),
                "direction of axis 2", g.withAffine(g.nx(), g.ny(), g.nz(), flipped, g.spacing()));
        cases.forEach((what, geometry) -> {
            Path mask = dir.resolve(what.replace(' ', '_') + ".nii.gz");
            NiftiWriter.write(LabelVolume.ofUInt8(geometry, seg.uint8()), mask);
            Path out = dir.resolve(what + ".json");
            StringWriter err = new StringWriter();
            assertEquals(BadInputHandler.EXIT_BAD_INPUT, run(err, "--ct", ct.toString(), "--seg", mask.toString(),
                    "--out", out.toString()), what);
            assertTrue(err.toString().startsWith("ctcohort stats: " + mask + ": label map does not lie on the grid"
                    + " of the CT " + ct + ": " + what), err.toString());
            assertFalse(err.toString().contains("\tat "), "no stack trace");
            assertFalse(Files.exists(out), "nothing written");
        });
    }
}
