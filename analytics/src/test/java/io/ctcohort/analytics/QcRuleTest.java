package io.ctcohort.analytics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The QC rules' one definition on rows whose answer is known: each rule in its place in the order, the
 * null readings (no exams row, no structure name, null voxel count read as 0, NaN volume and value),
 * the border exemption and the minimum volumes. Both engines call exactly these predicates (their
 * parity is LocalEngineTest's and PhaseAdjustmentTest's).
 */
class QcRuleTest {
    private static final QcRule.Limits NONE = new QcRule.Limits(Set.of(), Map.of());
    private static final QcRule.Limits LIMITS = new QcRule.Limits(Set.of("aorta"), Map.of("liver", 500.0));

    private static QcRule measurement(QcRule.Limits limits, String status, String structure, long voxels, double volume,
                                      boolean border) {
        return QcRule.firstBroken(QcRule.MEASUREMENTS, QcRule.Row.measurement(status, structure, voxels, volume, border),
                limits);
    }

    @Test
    void measurementRulesInOrder() {
        assertEquals(QcRule.NO_EXAM_ROW, measurement(LIMITS, null, "liver", 0, Double.NaN, true), "first rule wins");
        assertEquals(QcRule.EXAM_NOT_OK, measurement(LIMITS, "failed", "liver", 0, 1.0, true));
        assertEquals(QcRule.TOUCHES_BORDER, measurement(LIMITS, "ok", "liver", 0, 1.0, true));
        assertEquals(QcRule.EMPTY, measurement(LIMITS, "ok", "liver", 0, 1.0, false));
        assertEquals(QcRule.BELOW_MIN_VOLUME, measurement(LIMITS, "ok", "liver", 10, 499.9, false));
        assertNull(measurement(LIMITS, "ok", "liver", 10, 500.0, false), "at the minimum: passes");
        assertNull(measurement(LIMITS, "ok", "spleen", 10, 0.001, false), "no minimum for spleen");
        assertNull(measurement(LIMITS, "ok", "liver", 10, Double.NaN, false), "NaN volume is not below the minimum");
        assertEquals(List.of("no_exam_row", "exam_not_ok", "touches_border", "empty", "below_min_volume"),
                QcRule.codes(QcRule.MEASUREMENTS));
    }

    @Test
    void borderExemptionAndRowsWithoutAStructure() {
        assertNull(measurement(LIMITS, "ok", "aorta", 10, 1.0, true), "aorta is exempt");
        assertEquals(QcRule.TOUCHES_BORDER, measurement(NONE, "ok", "aorta", 10, 1.0, true), "not without the limit");
        assertEquals(QcRule.TOUCHES_BORDER, measurement(NONE, "ok", null, 10, 1.0, true),
                "no structure name: the border rule applies while nothing is exempt");
        assertEquals(QcRule.EMPTY, measurement(LIMITS, "ok", null, 10, 1.0, true),
                "no structure name under an exemption: not a border row, an empty one");
        assertEquals(QcRule.EMPTY, measurement(NONE, "ok", null, 10, 1.0, false));
        assertEquals(QcRule.EMPTY, measurement(NONE, "ok", "liver", -1, 1.0, false));
    }

    @Test
    void biomarkerRulesInOrder() {
        List<QcRule> rules = QcRule.BIOMARKERS;
        assertEquals(QcRule.NO_EXAM_ROW, QcRule.firstBroken(rules, QcRule.Row.biomarker(null, "L1", "trabecular_hu",
                Double.NaN), NONE));
        assertEquals(QcRule.EXAM_NOT_OK, QcRule.firstBroken(rules, QcRule.Row.biomarker("failed", "L1", "trabecular_hu",
                120), NONE));
        assertEquals(QcRule.NO_VALUE, QcRule.firstBroken(rules, QcRule.Row.biomarker("ok", "L1", "trabecular_hu",
                Double.NaN), NONE));
        assertEquals(QcRule.NO_VALUE, QcRule.firstBroken(rules, QcRule.Row.biomarker("ok", null, "trabecular_hu", 120),
                NONE));
        assertEquals(QcRule.NO_VALUE, QcRule.firstBroken(rules, QcRule.Row.biomarker("ok", "L1", null, 120), NONE));
        assertNull(QcRule.firstBroken(rules, QcRule.Row.biomarker("ok", "L1", "trabecular_hu", 120), NONE));
        assertNull(QcRule.firstBroken(rules, QcRule.Row.biomarker("ok", "L1", "trabecular_hu", 120), LIMITS),
                "the measurements' limits do not touch biomarkers");
        assertEquals(List.of("no_exam_row", "exam_not_ok", "no_value"), QcRule.codes(rules));
    }
}
