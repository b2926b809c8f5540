package io.ctcohort.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.ModelHandles;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.model.TestModels;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentOneCommandTest {

    /** A pointwise CT in LPS orientation through the command: the file read back is the per-voxel result. */
    @Test
    void writesLabelsInTheCtsGridAndStatistics(@TempDir Path tmp) throws Exception {
        Path model = TestModels.dir("pointwise5");
        Segmenter seg = ModelHandles.open(model).segmenter(Device.CPU);
        double[] centres = io.ctcohort.engine.infer.SegmenterTestSupport.centres(seg.card());
        CtVolume ct = io.ctcohort.engine.infer.SegmenterTestSupport.randomCt(new int[] {20, 15, 11},
                new int[] {-1, -2, 3}, seg.card().targetSpacingMm(), new Random(3), centres);
        Path ctFile = tmp.resolve("ct.nii.gz");
        NiftiWriter.write(ct, ctFile);
        Path out = tmp.resolve("seg.nii.gz");
        Path stats = tmp.resolve("statistics.json");
        Path biomarkers = tmp.resolve("biomarkers.json");
        int rc = BadInputHandler.commandLine(new SegmentOneCommand()).execute("--ct", ctFile.toString(), "--model",
                model.toString(), "--out", out.toString(), "--stats", stats.toString(), "--include-incomplete",
                "--biomarkers", biomarkers.toString());
        assertEquals(0, rc);
        CtVolume readBack = NiftiReader.read(ctFile).toCt();
        LabelVolume labels = NiftiReader.read(out).toLabels();
        assertTrue(labels.geometry().sameDims(readBack.geometry()));
        assertArrayEquals(readBack.geometry().affine(), labels.geometry().affine(), 1e-6);
        for (int i = 0; i < readBack.hu().length; i++) {
            assertEquals(io.ctcohort.engine.infer.SegmenterTestSupport.pointwise(readBack.hu()[i], seg.card(), centres),
                    labels.get(i), "voxel " + i);
        }
        JsonNode json = new ObjectMapper().readTree(stats.toFile());
        long liverVoxels = 0;
        for (int i = 0; i < labels.geometry().voxelCount(); i++) {
            liverVoxels += labels.get(i) == 2 ? 1 : 0;
        }
        double voxelMm3 = readBack.geometry().voxelVolumeMm3();
        assertEquals(liverVoxels * voxelMm3, json.get("liver").get("volume").asDouble(), 1e-3);

        // biomarkers.json: what the one measuring path gives on the written CT and label map, row for row
        ExamMeasurement m = ExamMeasurer.measure(readBack, labels, seg.labelMap(), null);
        JsonNode rows = new ObjectMapper().readTree(biomarkers.toFile()).get("biomarkers");
        assertEquals(m.biomarkers().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            BiomarkerValue b = m.biomarkers().get(i);
            assertEquals(b.biomarker() + "@" + b.site(), rows.get(i).get("biomarker").asText() + "@"
                    + rows.get(i).get("site").asText());
            assertEquals(b.value() == null, rows.get(i).get("value").isNull());
            if (b.value() != null) {
                assertEquals(b.value(), rows.get(i).get("value").asDouble(), 1e-9);
            }
        }
        assertTrue(m.biomarkers().stream().anyMatch(b -> b.biomarker().equals("liver_hu")), m.biomarkers().toString());
    }

    @Test
    void aTamperedModelIsRefusedWithExitCode2AndTheFileNamed(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        for (String f : new String[] {"model.json", "model.onnx"}) {
            Files.copy(TestModels.dir("pointwise5").resolve(f), model.resolve(f));
        }
        Files.write(model.resolve("model.onnx"), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        Path ctFile = tmp.resolve("ct.nii");
        NiftiWriter.write(CtVolume.allocate(io.ctcohort.engine.image.Geometry.axisAligned(4, 4, 4, 1, 1, 1)), ctFile);
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = BadInputHandler.commandLine(new SegmentOneCommand());
        cl.setErr(new java.io.PrintWriter(err));
        int rc = cl.execute("--ct", ctFile.toString(), "--model", model.toString(), "--out", tmp.resolve("s.nii").toString());
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, rc);
        assertTrue(err.toString().contains("sha256 mismatch") && err.toString().contains(model.resolve("model.onnx").toString()),
                err.toString());
        assertTrue(!Files.exists(tmp.resolve("s.nii")));
    }
}
