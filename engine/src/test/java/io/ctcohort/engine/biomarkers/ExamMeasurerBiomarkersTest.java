package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import org.junit.jupiter.api.Test;

/** Whole exams through ExamMeasurer: the phase from the voxels, and biomarkers that follow it. */
class ExamMeasurerBiomarkersTest {

    /** An abdomen with aorta, kidneys, liver and spleen of the given HU, stored LPS. */
    static Canvas.Stored exam(int aorta, int kidneys, int liver, int spleen) {
        Canvas c = new Canvas(120, 100, 16, 1.5, 1.5, 3, -100);
        c.paint(Canvas.ellipse(0, 10, 10, 10, 0, 15), aorta, "aorta");
        c.paint(Canvas.ellipse(-45, -15, 12, 15, 3, 12), kidneys, "kidney_left");
        c.paint(Canvas.ellipse(45, -15, 12, 15, 3, 12), kidneys, "kidney_right");
        c.paint(Canvas.ellipse(45, 40, 35, 25, 6, 15), liver, "liver");
        c.paint(Canvas.ellipse(-50, 30, 15, 15, 8, 14), spleen, "spleen");
        return c.noise(10, aorta).lps();
    }

    static ExamMeasurement measure(Canvas.Stored s, PhaseCall given) {
        return ExamMeasurer.measure(s.ct(), s.labels(), Canvas.TOTAL, given);
    }

    @Test
    void nativeExamIsEstimatedNativeAndScored() {
        ExamMeasurement m = measure(exam(42, 32, 55, 48), null);
        assertEquals(new PhaseCall(ContrastPhase.NATIVE, PhaseSource.ESTIMATED, null), m.phase());
        assertEquals(0.0, Canvas.find(m.biomarkers(), "aortic_calcium_agatston", "aorta").value());
        assertEquals(55, Canvas.find(m.biomarkers(), "liver_hu", "liver").value(), 2.5);
        assertEquals(7, Canvas.find(m.biomarkers(), "liver_spleen_difference_hu", "liver").value(), 3);
    }

    @Test
    void arterialExamIsEstimatedArterialAndCalciumIsRefused() {
        ExamMeasurement m = measure(exam(300, 140, 70, 90), null);
        assertEquals(ContrastPhase.ARTERIAL, m.phase().phase());
        BiomarkerValue a = Canvas.find(m.biomarkers(), "aortic_calcium_agatston", "aorta");
        assertNull(a.value());
        assertTrue(a.reason().contains("arterial"), a.reason());
    }

    @Test
    void portalVenousExamIsEstimatedPortalVenous() {
        ExamMeasurement m = measure(exam(175, 190, 115, 120), null);
        assertEquals(ContrastPhase.PORTAL_VENOUS, m.phase().phase());
        assertEquals(PhaseSource.ESTIMATED, m.phase().source());
    }

    @Test
    void manifestPhaseIsRecorded() {
        PhaseCall manifest = new PhaseCall(ContrastPhase.DELAYED, PhaseSource.MANIFEST, null);
        assertEquals(manifest, measure(exam(175, 190, 115, 120), manifest).phase());
    }

    @Test
    void examWithoutAortaHasAnUnknownPhaseAndStillMeasures() {
        Canvas c = new Canvas(60, 60, 10, 1.5, 1.5, 3, -100);
        c.paint(Canvas.ellipse(0, 0, 20, 20, 1, 8), 60, "liver");
        Canvas.Stored s = c.stored();
        ExamMeasurement m = measure(s, null);
        assertEquals(ContrastPhase.UNKNOWN, m.phase().phase());
        assertNotNull(m.phase().reason());
        assertTrue(m.structures().stream().anyMatch(t -> t.structure().equals("liver") && t.present()));
        BiomarkerValue calcium = Canvas.find(m.biomarkers(), "aortic_calcium_agatston", "aorta");
        assertTrue(calcium.reason().contains("not in the segmentation"), calcium.reason());
    }
}
