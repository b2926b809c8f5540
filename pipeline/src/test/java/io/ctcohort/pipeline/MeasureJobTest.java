package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code measure} over TotalSegmentator's own files: its CT and its segmentation give, through the
 * pipeline, the volumes and mean intensities of its statistics.json (computed with the border rule
 * off, so every structure is compared), whether the CT is read from NIfTI or from its DICOM series.
 * A mask of another shape or at another place becomes a failed row naming both files.
 */
class MeasureJobTest {
    @TempDir
    Path tmp;

    @Test
    void measureReproducesTotalSegmentatorStatistics() throws Exception {
        Path ref = Paths.get(System.getProperty("ctcohort.reference", "../../shared/reference")).resolve("totalsegmentator");
        assumeTrue(Files.isDirectory(ref), "reference data absent: " + ref);
        Path split = ref.resolve("example_seg_fast_force_split.nii.gz");
        Path dicom = ref.resolveSibling("dicom").resolve("explicit_le_int16");
        assumeTrue(Files.isDirectory(dicom), "reference data absent: " + dicom);
        // TotalSegmentator's mask moved by 0.2 mm: the right shape, the wrong place
        LabelVolume seg = NiftiReader.read(split).toLabels();
        double[] a = seg.geometry().affine();
        a[7] += 0.2;
        Geometry g = seg.geometry();
        Path shifted = tmp.resolve("shifted.nii.gz");
        NiftiWriter.write(LabelVolume.ofUInt8(g.withAffine(g.nx(), g.ny(), g.nz(), a, g.spacing()), seg.uint8()), shifted);
        Path manifest = tmp.resolve("masks.csv");
        Files.writeString(manifest, "exam_id,image_uri,mask_uri,age\n"
                + "ts_sm," + ref.resolve("example_ct_sm.nii.gz") + "," + ref.resolve("example_seg_fast.nii.gz") + ",50\n"
                + "ts_grid_mismatch," + ref.resolve("example_ct.nii.gz") + "," + ref.resolve("example_seg_fast.nii.gz") + ",60\n"
                + "ts_full," + ref.resolve("example_ct.nii.gz") + "," + split + ",61\n"
                + "ts_dicom," + dicom + "," + split + ",62\n"
                + "ts_shifted," + ref.resolve("example_ct.nii.gz") + "," + shifted + ",63\n");
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary s = new CohortJob(TestSpark.get(), new MeasureAnalyzer(LabelMap.total(), "TotalSegmentator-fast"),
                CohortJob.Options.of(manifest.toString(), out.toString(), false),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertEquals(3, s.ok());
        assertEquals(2, s.failed());
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.endsWith("measure: failed exams by error_class (2 in all):" + System.lineSeparator()
                + "       2  io.ctcohort.engine.image.GridMismatchException:GRID_MISMATCH" + System.lineSeparator()), said);

        String run = out.resolve("runs").resolve(s.runId()).toString();
        Row failed = TestSpark.get().read().parquet(run + "/exams").filter("exam_id = 'ts_grid_mismatch'").first();
        assertEquals("failed", failed.getAs("status"));
        assertEquals("io.ctcohort.engine.image.GridMismatchException:GRID_MISMATCH", failed.getAs("error_class"));
        // The message names the mask and the CT by role, not by path (shared tables hold no paths).
        assertEquals("<mask>: label map does not lie on the grid of the CT <image>: shape 122x101x30 vs the CT's "
                + "122x101x112", failed.getAs("error_message"));
        Row moved = TestSpark.get().read().parquet(run + "/exams").filter("exam_id = 'ts_shifted'").first();
        assertEquals("io.ctcohort.engine.image.GridMismatchException:GRID_MISMATCH", moved.getAs("error_class"));
        String msg = moved.getAs("error_message");
        assertTrue(msg.startsWith("<mask>: label map does not lie on the grid of the CT <image>: origin"), msg);
        // the same mask over the CT read from NIfTI and from its DICOM series: the same rows
        List<Row> fromNifti = TestSpark.get().read().parquet(run + "/measurements").filter("exam_id = 'ts_full'")
                .drop("exam_id").orderBy("label").collectAsList();
        List<Row> fromDicom = TestSpark.get().read().parquet(run + "/measurements").filter("exam_id = 'ts_dicom'")
                .drop("exam_id").orderBy("label").collectAsList();
        assertEquals(fromNifti, fromDicom);
        assertTrue(fromNifti.stream().filter(r -> (long) r.getAs("voxel_count") > 0).count() > 20);

        Map<String, Row> rows = new HashMap<>();
        for (Row r : TestSpark.get().read().parquet(run + "/measurements").filter("exam_id = 'ts_sm'").collectAsList()) {
            rows.put(r.getAs("structure"), r);
        }
        JsonNode expected = new ObjectMapper().readTree(ref.resolve("example_seg_fast_statistics.json").toFile());
        assertEquals(expected.size(), rows.size(), "one row per structure of the label map");
        int present = 0;
        for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Row r = rows.get(name);
            double volumeMm3 = expected.get(name).get("volume").asDouble();
            assertEquals(volumeMm3, (double) r.getAs("volume_ml") * 1000.0, 1e-6 * Math.max(1, volumeMm3), name);
            assertEquals("TotalSegmentator-fast", r.getAs("model_id"));
            if (volumeMm3 > 0) {
                present++;
                double hu = r.getAs("hu_mean");
                assertEquals(expected.get(name).get("intensity").asDouble(), Math.round(hu * 1e5) / 1e5, 1e-9, name);
            }
        }
        assertTrue(present > 10, "the reference has many structures present: " + present);
        List<String> cols = List.of(TestSpark.get().read().parquet(run + "/exams").columns());
        assertTrue(cols.containsAll(List.of("age", "read_ms", "stats_ms")), cols.toString());
        assertFalse(cols.contains("mask_uri") || cols.contains("image_uri"), "locations stay in the manifest: " + cols);
    }
}
