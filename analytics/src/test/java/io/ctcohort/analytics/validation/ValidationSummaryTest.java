package io.ctcohort.analytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.calibration.CalibrationOptions;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.core.tables.Status;
import io.ctcohort.core.tables.ValidationSummaryTable;
import io.ctcohort.core.tables.ValidationTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The summary on validation rows whose statistics are known: five exams of a liver whose model
 * volume is the reference's + 1..5 ml (Bland-Altman bias 3, SD sqrt(2.5)) and whose model HU is
 * exactly 2 + 0.5 x the reference's (calibration slope 0.5, intercept 2), with Dice 0.6..1.0.
 */
class ValidationSummaryTest {
    static final double[] DICE = {0.9, 0.8, 0.7, 0.6, 1.0};

    static Row row(String exam, String structure, Double dice, long voxels, long voxelsRef, Double vol, Double volRef,
                   Double hu, Double huRef) {
        return new RowBuilder(ValidationTable.SCHEMA).set(Columns.EXAM_ID, exam).set(Columns.STRUCTURE, structure)
                .set(ValidationTable.DICE, dice).set(MeasurementsTable.VOXEL_COUNT, voxels)
                .set(ValidationTable.VOXEL_COUNT_REFERENCE, voxelsRef)
                .set(MeasurementsTable.VOLUME_ML, vol).set(ValidationTable.reference(MeasurementsTable.VOLUME_ML), volRef)
                .set(MeasurementsTable.HU_MEAN, hu).set(ValidationTable.reference(MeasurementsTable.HU_MEAN), huRef)
                .set(Columns.STATUS, Status.OK.value()).set(Columns.MODEL_ID, "m1").row();
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double ref = 1000 + 37 * i * i;
            double huRef = 40 + 6 * i;
            rows.add(row("e" + i, "liver", DICE[i], 100, 100, ref + (i + 1), ref, 2 + 0.5 * huRef, huRef));
        }
        // the model missed the spleen in e0 (Dice 0, no pair); e1's spleen is a normal pair
        rows.add(row("e0", "spleen", 0.0, 0, 50, 0.0, 150.0, null, 45.0));
        rows.add(row("e1", "spleen", 0.8, 55, 50, 160.0, 150.0, 47.0, 45.0));
        // a failed validation: one row, no structure
        rows.add(new RowBuilder(ValidationTable.SCHEMA).set(Columns.EXAM_ID, "e9").set(Columns.STATUS,
                Status.FAILED.value()).set(ExamsTable.ERROR_CLASS, "x.ReferenceMismatchException:REFERENCE_GRID_MISMATCH")
                .set(Columns.MODEL_ID, "m1").row());
        return rows;
    }

    static AgreementSummary find(List<AgreementSummary> all, String structure, String metric) {
        return all.stream().filter(s -> s.structure().equals(structure) && s.metric().equals(metric)).findFirst()
                .orElseThrow();
    }

    @Test
    void diceBlandAltmanAndCalibrationAreTheKnownOnes() {
        ValidationSet set = ValidationSet.fromRows(rows());
        List<AgreementSummary> all = ValidationSummary.summarize(set, CalibrationOptions.defaults());
        assertEquals(2 * ValidationTable.METRICS.size(), all.size());

        AgreementSummary vol = find(all, "liver", MeasurementsTable.VOLUME_ML);
        assertEquals(5, vol.n());
        assertEquals(5, vol.nDice());
        assertEquals(0.8, vol.diceMean(), 1e-12);
        assertEquals(0.62, vol.diceP05(), 1e-12); // numpy.percentile([.6,.7,.8,.9,1], 5): 0.6 + 0.2 x 0.1
        assertEquals(3.0, vol.bias(), 1e-9);
        assertEquals(Math.sqrt(2.5), vol.sdDifference(), 1e-9);
        assertEquals(3.0 - 1.96 * Math.sqrt(2.5), vol.loaLow(), 1e-9);
        assertEquals(3.0 + 1.96 * Math.sqrt(2.5), vol.loaHigh(), 1e-9);
        assertNull(vol.reason());

        AgreementSummary hu = find(all, "liver", MeasurementsTable.HU_MEAN);
        assertEquals(0.5, hu.calibrationSlope(), 1e-12);
        assertEquals(2.0, hu.calibrationIntercept(), 1e-9);
        assertEquals(0.0, hu.calibrationSlopeSe(), 1e-12);
        assertEquals("calibration slope 0.500 outside [0.8, 1.25]", hu.flag());

        // the missed spleen counts in the Dice (0) but gives no pair; one pair cannot calibrate
        AgreementSummary spleen = find(all, "spleen", MeasurementsTable.VOLUME_ML);
        assertEquals(1, spleen.n());
        assertEquals(2, spleen.nDice());
        assertEquals(0.4, spleen.diceMean(), 1e-12);
        assertEquals("1 validation pairs, need at least 3", spleen.reason());
        assertTrue(spleen.flag().startsWith("mean Dice 0.400 below 0.7"), spleen.flag());
        AgreementSummary std = find(all, "liver", MeasurementsTable.HU_STD);
        assertEquals(0, std.n());
        assertEquals("no validation pair", std.reason());
    }

    @Test
    void rowsFollowTheSchemaWithNaNAsNull() {
        List<AgreementSummary> all = ValidationSummary.summarize(ValidationSet.fromRows(rows()),
                CalibrationOptions.defaults());
        List<Row> rows = ValidationSummary.rows(all, "m1");
        assertEquals(all.size(), rows.size());
        Row r = rows.stream().filter(x -> "spleen".equals(get(x, Columns.STRUCTURE))
                && MeasurementsTable.VOLUME_ML.equals(get(x, Columns.METRIC))).findFirst().orElseThrow();
        assertEquals(ValidationSummaryTable.SCHEMA.size(), r.size());
        assertNull(get(r, ValidationSummaryTable.CALIBRATION_SLOPE));
        assertNull(get(r, ValidationSummaryTable.SD_DIFFERENCE));
        assertEquals(10.0, (Double) get(r, ValidationSummaryTable.BIAS), 1e-12);
        assertEquals("m1", get(r, Columns.MODEL_ID));
    }

    static Object get(Row r, String column) {
        return r.get(ValidationSummaryTable.SCHEMA.fieldIndex(column));
    }
}
