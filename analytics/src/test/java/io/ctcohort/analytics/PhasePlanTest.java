package io.ctcohort.analytics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which metrics contrast phase applies to, how phase values are read, and when a plan is active. */
class PhasePlanTest {
    @Test
    void attenuationMetricsAreTheHuOnes() {
        for (String m : List.of("hu_mean", "hu_median", "hu_p05", "trabecular_hu", "liver_hu", "spleen_hu",
                "liver_spleen_difference_hu", "muscle_hu")) {
            assertTrue(ContrastPhases.isAttenuation(m), m);
        }
        for (String m : List.of("volume_ml", "muscle_area_cm2", "sat_area_cm2", "vat_area_cm2", "imat_area_cm2",
                "aortic_calcium_agatston", "aortic_calcium_volume_mm3")) {
            assertFalse(ContrastPhases.isAttenuation(m), m);
        }
    }

    @Test
    void phasesAreReadOnceAndUnknownIsNull() {
        assertEquals("portal_venous", ContrastPhases.normalize(" Portal_Venous "));
        assertEquals("native", ContrastPhases.normalize("NATIVE"));
        assertNull(ContrastPhases.normalize("unknown"));
        assertNull(ContrastPhases.normalize("venous?"));
        assertNull(ContrastPhases.normalize(null));
    }

    @Test
    void aPlanActsOnlyOnAttenuationMetricsOfAMixedCohort() {
        PhasePlan mixed = PhasePlan.of(PhaseMode.ADJUST, Arrays.asList("portal_venous", null, "native", "native"));
        assertEquals(List.of("native", "portal_venous"), mixed.known(), "reference order, native first");
        assertEquals(PhaseMode.ADJUST, mixed.modeFor("trabecular_hu"));
        assertNull(mixed.modeFor("volume_ml"));
        assertEquals(PhasePlan.ADJUSTED, mixed.label("hu_mean"));
        assertEquals(PhasePlan.NONE, mixed.label("volume_ml"));
        assertTrue(mixed.inCentiles("trabecular_hu", "native"));
        assertFalse(mixed.inCentiles("trabecular_hu", "portal_venous"));
        assertFalse(mixed.inCentiles("trabecular_hu", null));
        assertTrue(mixed.inCentiles("volume_ml", "portal_venous"));

        PhasePlan single = PhasePlan.of(PhaseMode.ADJUST, List.of("portal_venous"));
        assertNull(single.modeFor("hu_mean"), "one known phase: nothing to adjust");
        assertEquals(PhasePlan.NONE, single.label("hu_mean"));
        assertTrue(single.inCentiles("hu_mean", "portal_venous"));

        PhasePlan ignored = PhasePlan.of(PhaseMode.IGNORE, List.of("native", "arterial"));
        assertEquals(PhasePlan.IGNORED, ignored.label("liver_hu"));
        assertTrue(ignored.inCentiles("liver_hu", "arterial"));
        assertEquals(PhasePlan.STRATIFIED, PhasePlan.of(PhaseMode.STRATIFY, List.of("native", "delayed")).label("muscle_hu"));
    }
}
