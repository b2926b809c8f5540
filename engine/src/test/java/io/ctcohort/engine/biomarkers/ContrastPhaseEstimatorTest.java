package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The phase rules on phantom exams of each phase: structure medians drawn uniformly from the
 * ranges of docs/DESIGN.md "Biomarkers and contrast phase" (the ranges the phantom generator
 * plants), with all references (veins present) and with the demo model's (aorta, kidneys, liver).
 */
class ContrastPhaseEstimatorTest {
    /** Per phase: aorta, portal vein, IVC, kidneys, liver ranges (HU, lo..hi). */
    static final Map<ContrastPhase, double[][]> RANGES = Map.of(
            ContrastPhase.NATIVE, new double[][] {{30, 60}, {30, 60}, {30, 60}, {25, 45}, {35, 70}},
            ContrastPhase.ARTERIAL, new double[][] {{220, 380}, {70, 150}, {40, 90}, {110, 160}, {55, 85}},
            ContrastPhase.PORTAL_VENOUS, new double[][] {{140, 220}, {150, 230}, {110, 180}, {160, 230}, {95, 135}},
            ContrastPhase.DELAYED, new double[][] {{95, 125}, {95, 130}, {90, 125}, {110, 160}, {80, 105}});
    static final String[] STRUCTURES = {"aorta", "portal_vein_and_splenic_vein", "inferior_vena_cava", "kidney", "liver"};
    static final int DRAWS = 2000;

    static Map<String, Double> draw(ContrastPhase phase, Random rng, boolean veins) {
        double[][] r = RANGES.get(phase);
        Map<String, Double> m = new HashMap<>();
        for (int s = 0; s < STRUCTURES.length; s++) {
            if (!veins && (s == 1 || s == 2)) {
                continue;
            }
            double v = r[s][0] + (r[s][1] - r[s][0]) * rng.nextDouble();
            if (STRUCTURES[s].equals("kidney")) {
                m.put("kidney_left", v + 5 * rng.nextGaussian());
                m.put("kidney_right", v + 5 * rng.nextGaussian());
            } else {
                m.put(STRUCTURES[s], v);
            }
        }
        return m;
    }

    static double accuracy(ContrastPhase phase, boolean veins) {
        Random rng = new Random(phase.ordinal() * 31L + (veins ? 1 : 0));
        int right = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (ContrastPhaseEstimator.estimate(draw(phase, rng, veins)).phase() == phase) {
                right++;
            }
        }
        return (double) right / DRAWS;
    }

    @Test
    void accuracyPerPhaseOnPhantomMedians() {
        // printed for docs/DESIGN.md; the bounds are what the rules must keep
        Map<ContrastPhase, Double> minimum = Map.of(ContrastPhase.NATIVE, 0.99, ContrastPhase.ARTERIAL, 0.95,
                ContrastPhase.PORTAL_VENOUS, 0.95, ContrastPhase.DELAYED, 0.80);
        for (ContrastPhase p : minimum.keySet()) {
            for (boolean veins : new boolean[] {true, false}) {
                double a = accuracy(p, veins);
                System.out.printf("phase %-13s %-22s accuracy %.3f%n", p.value(),
                        veins ? "(with veins)" : "(aorta, kidneys, liver)", a);
                assertTrue(a >= minimum.get(p), p + (veins ? " with veins " : " demo model ") + a);
            }
        }
    }

    @Test
    void rightOnTypicalExams() {
        assertEquals(ContrastPhase.NATIVE, phase(Map.of("aorta", 42.0, "liver", 58.0, "kidney_left", 33.0)));
        assertEquals(ContrastPhase.ARTERIAL, phase(Map.of("aorta", 310.0, "liver", 68.0, "kidney_left", 140.0)));
        assertEquals(ContrastPhase.PORTAL_VENOUS, phase(Map.of("aorta", 170.0, "liver", 112.0, "kidney_left", 190.0)));
        assertEquals(ContrastPhase.ARTERIAL, phase(Map.of("aorta", 300.0, "portal_vein_and_splenic_vein", 120.0,
                "liver", 110.0)), "the vein outranks the liver");
        assertEquals(ContrastPhase.DELAYED, phase(Map.of("aorta", 110.0, "liver", 95.0)));
    }

    @Test
    void phasesThatCannotBeEstimatedAreUnknownWithAReason() {
        PhaseCall noAorta = ContrastPhaseEstimator.estimate(Map.of("liver", 60.0, "kidney_left", 150.0));
        assertEquals(ContrastPhase.UNKNOWN, noAorta.phase());
        assertTrue(noAorta.reason().contains("aorta not segmented"), noAorta.reason());
        PhaseCall aortaAlone = ContrastPhaseEstimator.estimate(Map.of("aorta", 180.0));
        assertEquals(ContrastPhase.UNKNOWN, aortaAlone.phase());
        assertTrue(aortaAlone.reason().contains("no vein, kidney or liver"), aortaAlone.reason());
        assertEquals(ContrastPhase.ARTERIAL, phase(Map.of("aorta", 320.0)), "only an arterial bolus gives 320 HU");
        PhaseCall conflict = ContrastPhaseEstimator.estimate(Map.of("aorta", 50.0, "kidney_left", 160.0));
        assertEquals(ContrastPhase.UNKNOWN, conflict.phase());
        assertNotNull(conflict.reason());
        assertEquals(PhaseSource.ESTIMATED, conflict.source());
    }

    static ContrastPhase phase(Map<String, Double> medians) {
        return ContrastPhaseEstimator.estimate(medians).phase();
    }
}
