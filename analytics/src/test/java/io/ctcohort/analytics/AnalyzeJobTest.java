package io.ctcohort.analytics;

import io.ctcohort.core.layout.InvalidRunException;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeGroupsTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The analyze job end to end on the golden cohort laid out as an output root (OUT/LATEST ->
 * OUT/runs/ID): tables written into the run folder and read back, CSV copies that still reproduce
 * statsmodels, and a report whose every image is a real PNG. Plus run-folder resolution errors.
 */
class AnalyzeJobTest extends SharedSpark {
    @Test
    void outputRootRunGetsTablesCsvAndReport(@TempDir Path tmp) throws Exception {
        GoldenRun golden = goldenRun(tmp);
        Path report = tmp.resolve("report");

        AnalyzeJob.Summary s = AnalyzeJob.run(spark, golden.out().toString(), null, report, StudyOptions.defaults());
        System.out.println("analyze on the golden cohort, timings ms: " + s.millis());

        Dataset<Row> effects = spark.read().parquet(golden.run().resolve(AgeEffectsTable.NAME).toString());
        assertEquals(List.of("structure", "metric", "stratum", "n", "spearman_rho", "spearman_p", "beta_age", "se_age",
                "t_age", "p_age", "ci_low", "ci_high", "r2", "intercept", "p_age_bonferroni", "q_age_bh", "reason",
                "phase", "phase_adjustment", "beta_age_unadjusted", "se_age_unadjusted", "ci_low_unadjusted",
                "ci_high_unadjusted", "p_age_unadjusted", "beta_age_calibrated", "ci_low_calibrated",
                "ci_high_calibrated", "calibration_slope", "n_validation", "calibration_reason"),
                Arrays.asList(effects.columns()));
        Map<String, Map<String, String>> expected =
                ExpectedCsv.read(SparkTests.regression().resolve("expected_age_effects.csv"));
        assertEquals(expected.size(), effects.count());
        // a run without a biomarkers table or contrast phases: every row as before, no phase treatment
        assertEquals(expected.size(), effects.filter("phase = 'all' AND phase_adjustment = 'none'"
                + " AND isnan(beta_age_unadjusted)").count());
        Dataset<Row> groups = spark.read().parquet(golden.run().resolve(AgeGroupsTable.NAME).toString());
        assertEquals(s.ageGroupRows(), groups.count());
        assertTrue(groups.filter("grouping = 'quartile'").select("age_group").distinct().count() == 4);

        // the CSV copy is lossless: parsed back, it still matches statsmodels to 1e-8
        ExpectedCsv.assertMatches(expected, CsvEffects.read(report.resolve("age_effects.csv")));
        assertTrue(Files.readAllLines(report.resolve("age_groups.csv")).size() == s.ageGroupRows() + 1);
        String qc = Files.readString(report.resolve(AnalyzeJob.QC_CSV), StandardCharsets.UTF_8);
        assertTrue(qc.contains("touches_border,2589"), qc);

        List<String> images = ReportFiles.assertImagesArePngs(s.reportIndex(), 10_000);
        long structures = effects.select("structure").distinct().count();
        assertEquals(structures + 2, images.size(), "one scatter per structure + two forest plots");
    }

    @Test
    void incompleteRunsAndUnknownFoldersAreRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path run = out.resolve("runs").resolve("r1");
        Files.createDirectories(run.resolve(OutputLayout.EXAMS));
        Files.createDirectories(run.resolve(OutputLayout.MEASUREMENTS));
        Files.writeString(out.resolve(OutputLayout.LATEST), "r1");
        var conf = spark.sparkContext().hadoopConfiguration();
        InvalidRunException latest = assertThrows(InvalidRunException.class, () -> OutputLayout.resolve(out.toString(), conf));
        assertTrue(latest.getMessage().contains("_SUCCESS"), latest.getMessage());
        InvalidRunException direct = assertThrows(InvalidRunException.class, () -> OutputLayout.resolve(run.toString(), conf));
        assertTrue(direct.getMessage().contains("incomplete"), direct.getMessage());

        Files.writeString(run.resolve(OutputLayout.SUCCESS), "");
        assertEquals(run.toUri().getPath().replaceAll("/$", ""),
                OutputLayout.resolve(out.toString(), conf).folder().toUri().getPath());
        Files.writeString(out.resolve(OutputLayout.LATEST), "runs/r1\n");
        assertTrue(OutputLayout.resolve(out.toString(), conf).exams().toString().endsWith("runs/r1/exams"));

        Path nothing = tmp.resolve("nothing");
        Files.createDirectories(nothing);
        InvalidRunException none = assertThrows(InvalidRunException.class, () -> OutputLayout.resolve(nothing.toString(), conf));
        assertTrue(none.getMessage().startsWith(nothing.toString()), none.getMessage());
        InvalidRunException missing = assertThrows(InvalidRunException.class,
                () -> OutputLayout.resolve(tmp.resolve("absent").toString(), conf));
        assertTrue(missing.getMessage().contains("no such"), missing.getMessage());
    }

    @Test
    void flatReferenceLayoutResolves() {
        assumeTrue(SparkTests.regressionPresent(), "reference data absent: " + SparkTests.regression().toAbsolutePath());
        OutputLayout.Run r = OutputLayout.resolve(SparkTests.regression().toString(), spark.sparkContext().hadoopConfiguration());
        assertTrue(r.exams().getName().equals("exams.parquet") && r.measurements().getName().equals("measurements.parquet"));
    }
}
