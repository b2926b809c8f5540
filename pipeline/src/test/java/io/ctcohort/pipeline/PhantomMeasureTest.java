package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code measure} over a phantom cohort (engine.phantom: realistic sizes, LPS/permuted storage,
 * cut fields of view) with its true label maps: every structure's voxel count and volume equal the
 * generator's truth.csv; demographics pass through.
 */
class PhantomMeasureTest {
    @TempDir
    Path tmp;

    @Test
    void measuredTrueMasksEqualThePhantomTruth() throws Exception {
        Path cohort = tmp.resolve("cohort");
        new CohortWriter(new PhantomGenerator(11), 2).write(cohort, 2, false);
        Path out = tmp.resolve("out");
        RunSummary s = new CohortJob(TestSpark.get(), new MeasureAnalyzer(LabelMap.total(), "truth"),
                CohortJob.Options.of(cohort.resolve("manifest_masks.csv").toString(), out.toString(), false),
                System.err).run();
        assertEquals(2, s.ok());

        String run = out.resolve("runs").resolve(s.runId()).toString();
        Map<String, Row> rows = new HashMap<>();
        for (Row r : TestSpark.get().read().parquet(run + "/measurements").collectAsList()) {
            rows.put(r.getAs("exam_id") + "/" + r.getAs("structure"), r);
        }
        List<String> truth = Files.readAllLines(cohort.resolve("truth.csv"));
        List<String> header = List.of(truth.get(0).split(","));
        int checked = 0;
        for (String line : truth.subList(1, truth.size())) {
            String[] f = line.split(",");
            Row r = rows.get(f[header.indexOf("exam_id")] + "/" + f[header.indexOf("structure")]);
            assertEquals(Long.parseLong(f[header.indexOf("voxel_count")]), (long) r.getAs("voxel_count"), line);
            assertEquals(Double.parseDouble(f[header.indexOf("volume_ml")]), (double) r.getAs("volume_ml"), 1e-4, line);
            assertEquals(Boolean.parseBoolean(f[header.indexOf("touches_border")]), r.getAs("touches_border"), line);
            checked++;
        }
        assertTrue(checked > 20, "truth rows checked: " + checked);
        List<Row> exams = TestSpark.get().read().parquet(run + "/exams").orderBy("exam_id").collectAsList();
        assertEquals(2, exams.size());
        assertTrue(exams.get(0).schema().getFieldIndex("scan_date").isDefined(), "manifest columns pass through");
    }
}
