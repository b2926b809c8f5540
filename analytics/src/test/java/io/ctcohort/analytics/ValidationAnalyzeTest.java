package io.ctcohort.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.local.LocalAgeStudy;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.core.tables.Status;
import io.ctcohort.core.tables.ValidationSummaryTable;
import io.ctcohort.core.tables.ValidationTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * analyze on a run with a validation table: a synthetic cohort whose references are exactly
 * {@code (model - 5) / 0.8} (calibration slope 0.8, no error) for the first 40 exams of two
 * structures and 10 of the third. The calibrated columns are then the raw ones divided by 0.8
 * exactly, the third structure is refused for too few validation exams, and validation_summary is
 * written beside age_effects.
 */
class ValidationAnalyzeTest extends SharedSpark {
    static final double B = 0.8, A = 5;

    static void writeValidation(String run) {
        List<Row> rows = new ArrayList<>();
        for (Row m : spark.read().parquet(run + "/" + OutputLayout.MEASUREMENTS).orderBy(Columns.EXAM_ID)
                .collectAsList()) {
            String exam = m.getAs(Columns.EXAM_ID);
            String structure = m.getAs(Columns.STRUCTURE);
            int index = Integer.parseInt(exam.substring(2));
            if (index >= (structure.equals("structure_002") ? 10 : 40)) {
                continue;
            }
            double vol = m.getAs(MeasurementsTable.VOLUME_ML);
            double hu = m.getAs(MeasurementsTable.HU_MEAN);
            long voxels = m.getAs(MeasurementsTable.VOXEL_COUNT);
            rows.add(new RowBuilder(ValidationTable.SCHEMA).set(Columns.EXAM_ID, exam).set(Columns.STRUCTURE, structure)
                    .set(ValidationTable.DICE, 0.9).set(MeasurementsTable.VOXEL_COUNT, voxels)
                    .set(ValidationTable.VOXEL_COUNT_REFERENCE, voxels)
                    .set(MeasurementsTable.VOLUME_ML, vol).set(ValidationTable.reference(MeasurementsTable.VOLUME_ML),
                            (vol - A) / B)
                    .set(MeasurementsTable.HU_MEAN, hu).set(ValidationTable.reference(MeasurementsTable.HU_MEAN),
                            (hu - A) / B)
                    .set(Columns.STATUS, Status.OK.value()).set(Columns.MODEL_ID, "m1").row());
        }
        rows.add(new RowBuilder(ValidationTable.SCHEMA).set(Columns.EXAM_ID, "EX0000041")
                .set(Columns.STATUS, Status.FAILED.value())
                .set(ExamsTable.ERROR_CLASS, "io.ctcohort.engine.validation.ReferenceMismatchException:REFERENCE_GRID_MISMATCH")
                .set(Columns.MODEL_ID, "m1").row());
        spark.createDataFrame(rows, ValidationTable.SCHEMA).write().parquet(run + "/" + ValidationTable.NAME);
    }

    static Row effect(List<Row> effects, String structure, String metric, String stratum) {
        return effects.stream().filter(r -> r.getAs(Columns.STRUCTURE).equals(structure)
                && r.getAs(Columns.METRIC).equals(metric) && r.getAs(Columns.STRATUM).equals(stratum))
                .findFirst().orElseThrow();
    }

    @Test
    void calibratedColumnsAndTheSummaryAreWritten(@TempDir Path tmp) throws Exception {
        String run = tmp.resolve("run").toString();
        SyntheticCohort.write(spark, run, 200, 3);
        writeValidation(run);

        var conf = spark.sparkContext().hadoopConfiguration();
        OutputLayout.Run resolved = OutputLayout.resolve(run, conf);
        assertThrows(LocalAgeStudy.Declined.class, () -> AnalyzeJob.runLocal(conf, resolved, System.nanoTime(), null,
                null, StudyOptions.defaults()));
        AnalyzeJob.run(spark, run, null, null, StudyOptions.defaults(), io.ctcohort.analytics.centiles.CentileOptions.off());

        List<Row> effects = spark.read().parquet(run + "/" + AgeEffectsTable.NAME).collectAsList();
        for (String stratum : List.of("all", "F", "M")) {
            for (String metric : List.of(MeasurementsTable.VOLUME_ML, MeasurementsTable.HU_MEAN)) {
                Row r = effect(effects, "structure_001", metric, stratum);
                double beta = r.getAs(AgeEffectsTable.BETA_AGE);
                assertEquals(beta / B, (Double) r.getAs(AgeEffectsTable.BETA_AGE_CALIBRATED), 1e-9 * Math.abs(beta));
                assertEquals((Double) r.getAs(AgeEffectsTable.CI_LOW) / B,
                        (Double) r.getAs(AgeEffectsTable.CI_LOW_CALIBRATED), 1e-9);
                assertEquals((Double) r.getAs(AgeEffectsTable.CI_HIGH) / B,
                        (Double) r.getAs(AgeEffectsTable.CI_HIGH_CALIBRATED), 1e-9);
                assertEquals(B, (Double) r.getAs(AgeEffectsTable.CALIBRATION_SLOPE), 1e-12);
                assertTrue((Long) r.getAs(AgeEffectsTable.N_VALIDATION) >= 35, "40 exams less the empty ones");
                assertNull(r.getAs(AgeEffectsTable.CALIBRATION_REASON));
            }
            Row few = effect(effects, "structure_002", MeasurementsTable.VOLUME_ML, stratum);
            assertNull(few.getAs(AgeEffectsTable.BETA_AGE_CALIBRATED));
            assertTrue(((String) few.getAs(AgeEffectsTable.CALIBRATION_REASON)).matches("n_validation=\\d+ < 20 .*"),
                    (String) few.getAs(AgeEffectsTable.CALIBRATION_REASON));
        }

        List<Row> summary = spark.read().parquet(run + "/" + ValidationSummaryTable.NAME).collectAsList();
        assertEquals(3 * ValidationTable.METRICS.size(), summary.size());
        Row vol = summary.stream().filter(r -> r.getAs(Columns.STRUCTURE).equals("structure_000")
                && r.getAs(Columns.METRIC).equals(MeasurementsTable.VOLUME_ML)).findFirst().orElseThrow();
        assertEquals(B, (Double) vol.getAs(ValidationSummaryTable.CALIBRATION_SLOPE), 1e-12);
        assertEquals(A, (Double) vol.getAs(ValidationSummaryTable.CALIBRATION_INTERCEPT), 1e-9);
        assertEquals(0.9, (Double) vol.getAs(ValidationSummaryTable.DICE_MEAN), 1e-12);
        assertEquals("m1", vol.getAs(Columns.MODEL_ID));
    }

    /**
     * The command with the calibration flags: --min-validation-exams 5 calibrates the structure with 10
     * validation exams that the default (20) refuses, --flag-slope-outside 0.9,1.1 flags the slope 0.8;
     * the report gets the validation page (Dice, Bland-Altman, calibration slopes) linked from
     * index.html, and raw beside calibrated forest plots.
     */
    @Test
    void calibrationFlagsOfTheCommandAndTheValidationPage(@TempDir Path tmp) throws Exception {
        String run = tmp.resolve("run").toString();
        SyntheticCohort.write(spark, run, 200, 3);
        writeValidation(run);
        Path report = tmp.resolve("report");
        int rc = new picocli.CommandLine(new io.ctcohort.analytics.cli.AnalyzeCommand()).execute("--in", run,
                "--no-centiles", "--report", report.toString(), "--min-validation-exams", "5",
                "--flag-dice-below", "0.95", "--flag-slope-outside", "0.9,1.1");
        assertEquals(0, rc);
        List<Row> effects = spark.read().parquet(run + "/" + AgeEffectsTable.NAME).collectAsList();
        Row few = effect(effects, "structure_002", MeasurementsTable.VOLUME_ML, "all");
        assertEquals((Double) few.getAs(AgeEffectsTable.BETA_AGE) / B,
                (Double) few.getAs(AgeEffectsTable.BETA_AGE_CALIBRATED), 1e-9);
        Row vol = spark.read().parquet(run + "/" + ValidationSummaryTable.NAME).collectAsList().stream()
                .filter(r -> r.getAs(Columns.STRUCTURE).equals("structure_000")
                        && r.getAs(Columns.METRIC).equals(MeasurementsTable.VOLUME_ML)).findFirst().orElseThrow();
        String flag = vol.getAs(ValidationSummaryTable.FLAG);
        assertTrue(flag != null && flag.contains("mean Dice 0.900 below 0.95")
                && flag.contains("calibration slope 0.800 outside [0.9, 1.1]"), flag);

        String page = java.nio.file.Files.readString(report.resolve(io.ctcohort.analytics.report.ValidationReport.PAGE));
        for (String structure : List.of("structure_000", "structure_001", "structure_002")) {
            assertTrue(page.contains(">" + structure + "<"), structure);
            for (String metric : List.of(MeasurementsTable.VOLUME_ML, MeasurementsTable.HU_MEAN)) {
                String png = "plots/bland_altman_" + structure + "_" + metric + ".png";
                assertTrue(page.contains(png) && java.nio.file.Files.size(report.resolve(png)) > 1000, png);
            }
        }
        assertTrue(page.contains("plots/" + io.ctcohort.analytics.report.ValidationReport.DICE_PNG));
        assertTrue(java.nio.file.Files.size(report.resolve("plots/"
                + io.ctcohort.analytics.report.ValidationReport.DICE_PNG)) > 1000);
        String index = java.nio.file.Files.readString(report.resolve("index.html"));
        assertTrue(index.contains("href=\"" + io.ctcohort.analytics.report.ValidationReport.PAGE + "\""));
        for (String metric : List.of(MeasurementsTable.VOLUME_ML, MeasurementsTable.HU_MEAN)) {
            String forest = io.ctcohort.analytics.report.ValidationReport.calibratedForest(metric);
            assertTrue(index.contains(forest) && java.nio.file.Files.size(report.resolve(forest)) > 1000, forest);
        }
        assertTrue(java.nio.file.Files.exists(report.resolve(ValidationSummaryTable.NAME + ".csv")));

        rc = new picocli.CommandLine(new io.ctcohort.analytics.cli.AnalyzeCommand()).execute("--in", run,
                "--no-centiles", "--flag-slope-outside", "1.2,0.9");
        assertEquals(2, rc, "a range whose low end lies above its high end is refused");
    }
}
