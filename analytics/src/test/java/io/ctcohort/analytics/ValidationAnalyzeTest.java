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
}
