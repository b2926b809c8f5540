package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.ExamMeasurer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A vertebra of known trabecular HU behind a 2 mm cortex of 700 HU, with cortical endplates and a
 * posterior arch of 450 HU (pedicles, lamina, spinous process) behind a spinal canal, in soft
 * tissue, with noise.
 */
class TrabecularHuTest {
    static final int CORE_HU = 150;
    static final double TOLERANCE = 3.0;

    /** L1 whose body spans slices k0..k1 (1.5 mm slices), on a 0.8 mm in-plane grid. */
    static Canvas vertebra(int nz, int k0, int k1, int coreHu) {
        Canvas c = new Canvas(100, 100, nz, 0.8, 0.8, 1.5, 40);
        double cy = 12; // body centre, anterior of the grid centre
        double ax = 20;
        double ay = 15;
        double back = cy - ay; // posterior edge of the body
        String l1 = "vertebrae_L1";
        c.paint(Canvas.ellipse(0, cy, ax, ay, k0, k1), 700, l1);
        c.paintHu(Canvas.ellipse(0, cy, ax - 2, ay - 2, k0 + 2, k1 - 2), coreHu);
        for (int s : new int[] {-1, 1}) { // pedicles from the body's back to the lamina
            c.paint(Canvas.rect(s * 14 - 3, s * 14 + 3, back - 10, back + 1, k0 + 2, k1 - 3), 450, l1);
        }
        c.paint(Canvas.rect(-17, 17, back - 14, back - 9, k0 + 2, k1 - 3), 450, l1); // lamina, canal in front
        c.paint(Canvas.rect(-2.5, 2.5, back - 30, back - 14, k0 + 1, k1 - 5), 450, l1); // spinous process
        return c.noise(15, 7);
    }

    static double wholeMaskMean(Canvas c, String structure) {
        int l = Canvas.label(structure);
        long sum = 0;
        long n = 0;
        for (int i = 0; i < c.hu.length; i++) {
            if ((c.labels[i] & 0xFF) == l) {
                sum += c.hu[i];
                n++;
            }
        }
        return (double) sum / n;
    }

    @Test
    void trabecularCoreOfKnownHuWithinThreeHu() {
        Canvas c = vertebra(30, 4, 25, CORE_HU);
        BiomarkerValue v = TrabecularHu.measure(c.stored().volume(), "vertebrae_L1");
        assertEquals(CORE_HU, v.value(), TOLERANCE, v.toString());
    }

    @Test
    void wholeMaskMeanFailsTheTolerance() {
        // proves the test above checks the ROI: the mean over the whole vertebra is far off
        Canvas c = vertebra(30, 4, 25, CORE_HU);
        double whole = wholeMaskMean(c, "vertebrae_L1");
        assertTrue(Math.abs(whole - CORE_HU) > 10 * TOLERANCE, "whole-mask mean " + whole);
    }

    @Test
    void followsTheCoreAcrossValues() {
        for (int core : new int[] {60, 110, 260}) {
            BiomarkerValue v = TrabecularHu.measure(vertebra(30, 4, 25, core).stored().volume(), "vertebrae_L1");
            assertEquals(core, v.value(), TOLERANCE, "core " + core);
        }
    }

    @Test
    void lpsStorageGivesTheSameValue() {
        Canvas c = vertebra(30, 4, 25, CORE_HU);
        BiomarkerValue ras = TrabecularHu.measure(c.stored().volume(), "vertebrae_L1");
        BiomarkerValue lps = TrabecularHu.measure(c.lps().volume(), "vertebrae_L1");
        assertEquals(CORE_HU, lps.value(), TOLERANCE);
        assertEquals(ras.value(), lps.value(), 1e-9, "the ROI is defined on the patient, not the array");
    }

    @Test
    void vertebraCutByTheFieldOfViewIsNull() {
        Canvas c = vertebra(20, 0, 18, CORE_HU); // body starts on the first slice
        BiomarkerValue v = TrabecularHu.measure(c.stored().volume(), "vertebrae_L1");
        assertNull(v.value());
        assertTrue(v.reason().contains("cut by the field of view"), v.reason());
    }

    @Test
    void noVertebraeGiveNullsWithReasonsAndTheExamIsMeasured() {
        Canvas c = new Canvas(60, 60, 10, 1, 1, 2, 40);
        c.paint(Canvas.ellipse(0, 0, 10, 10, 2, 7), 60, "liver");
        Canvas.Stored s = c.stored();
        ExamMeasurement m = ExamMeasurer.measure(s.ct(), s.labels(), Canvas.TOTAL, null);
        BiomarkerValue l1 = Canvas.find(m.biomarkers(), "trabecular_hu", "vertebrae_L1");
        assertNull(l1.value());
        assertTrue(l1.reason().contains("not in the segmentation"), l1.reason());
        assertEquals(25, m.biomarkers().stream().filter(b -> b.biomarker().equals("trabecular_hu")).count(),
                "one row per vertebra of the vocabulary");
        assertFalse(m.structures().isEmpty());
    }

    @Test
    void vertebraeOutsideTheVocabularyGiveNoRows() {
        Canvas c = new Canvas(60, 60, 10, 1, 1, 2, 40);
        c.paint(Canvas.ellipse(0, 0, 10, 10, 2, 7), 60, "liver");
        Canvas.Stored s = c.stored();
        LabelMap liverOnly = LabelMap.of(Map.of(Canvas.label("liver"), "liver"));
        ExamMeasurement m = ExamMeasurer.measure(s.ct(), s.labels(), liverOnly, null);
        assertTrue(m.biomarkers().stream().noneMatch(b -> b.site().startsWith("vertebrae_")), m.biomarkers().toString());
        assertTrue(m.biomarkers().stream().anyMatch(b -> b.biomarker().equals("liver_hu")));
    }
}
