package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Estimates an exam's contrast phase from the median HU of segmented vessels and organs (the
 * median, as TotalSegmentator's {@code totalseg_get_phase} reads its 16 structures; robust to plaque
 * and partial volume). Documented rules, not a learned model: the weights of totalseg_get_phase and
 * of Comp2Comp's {@code contrast_phase} XGBoost cannot be fetched here. Thresholds follow the
 * enhancement curves of Bae 2010 (Radiology 256:32) and the unenhanced blood HU of 30-50; see
 * docs/DESIGN.md "Biomarkers and contrast phase" for the table and the accuracy on phantoms.
 *
 * <ol>
 *   <li>No aorta (absent from the vocabulary or empty): unknown.</li>
 *   <li>Aorta &lt; {@value #NATIVE_AORTA_MAX} HU: native, unless the kidneys reach
 *       {@value #NATIVE_KIDNEY_MAX} HU (enhanced parenchyma beside unenhanced blood: unknown).</li>
 *   <li>Otherwise the venous reference, the first present of: portal/splenic vein, IVC, kidneys,
 *       liver, as a ratio to the aorta. Below its arterial ratio (PV 0.7, IVC 0.6, kidneys 0.75,
 *       liver 0.45) the veins and parenchyma lag the aorta: arterial when the aorta reaches
 *       {@value #ARTERIAL_AORTA_MIN} HU, unknown below. At or above it (equilibrium): portal venous
 *       when the aorta reaches {@value #VENOUS_AORTA_MIN} HU, delayed below.</li>
 *   <li>No reference: arterial when the aorta reaches {@value #AORTA_ALONE_ARTERIAL} HU (only an
 *       arterial bolus gives that), unknown otherwise.</li>
 * </ol>
 */
public final class ContrastPhaseEstimator {
    static final double NATIVE_AORTA_MAX = 90;
    static final double NATIVE_KIDNEY_MAX = 80;
    static final double ARTERIAL_AORTA_MIN = 150;
    static final double VENOUS_AORTA_MIN = 130;
    static final double AORTA_ALONE_ARTERIAL = 250;
    /** Structures with fewer voxels are treated as absent: a few voxels' median is noise. */
    static final long MIN_VOXELS = 20;

    /** A venous reference structure and the ratio to the aorta below which the phase is arterial. */
    private record Reference(String label, double arterialBelow, String... structures) {
    }

    private static final Reference[] REFERENCES = {
            new Reference("portal/splenic vein", 0.7, "portal_vein_and_splenic_vein"),
            new Reference("inferior vena cava", 0.6, "inferior_vena_cava"),
            new Reference("kidneys", 0.75, "kidney_left", "kidney_right"),
            new Reference("liver", 0.45, "liver")};

    private ContrastPhaseEstimator() {
    }

    /** The phase estimated from an exam's structure statistics. */
    public static PhaseCall estimate(List<StructureStatistics> structures) {
        Map<String, Double> medians = new HashMap<>();
        for (StructureStatistics s : structures) {
            if (s.voxelCount() >= MIN_VOXELS) {
                medians.put(s.structure(), s.huMedian());
            }
        }
        return estimate(medians);
    }

    /** The phase estimated from median HU by structure name (structures absent are missing keys). */
    public static PhaseCall estimate(Map<String, Double> medianHu) {
        Double aorta = medianHu.get("aorta");
        if (aorta == null || aorta.isNaN()) {
            return unknown("aorta not segmented: the phase rules need its HU");
        }
        if (aorta < NATIVE_AORTA_MAX) {
            Double kidneys = mean(medianHu, "kidney_left", "kidney_right");
            if (kidneys != null && kidneys >= NATIVE_KIDNEY_MAX) {
                return unknown(String.format(Locale.ROOT, "aorta %.0f HU looks unenhanced but kidneys %.0f HU "
                        + "look enhanced", aorta, kidneys));
            }
            return new PhaseCall(ContrastPhase.NATIVE, PhaseSource.ESTIMATED, null);
        }
        for (Reference r : REFERENCES) {
            Double ref = mean(medianHu, r.structures());
            if (ref == null) {
                continue;
            }
            double ratio = ref / aorta;
            if (ratio < r.arterialBelow()) {
                return aorta >= ARTERIAL_AORTA_MIN ? new PhaseCall(ContrastPhase.ARTERIAL, PhaseSource.ESTIMATED, null)
                        : unknown(String.format(Locale.ROOT, "aorta %.0f HU weakly enhanced and %s lagging "
                        + "(ratio %.2f): neither arterial nor venous", aorta, r.label(), ratio));
            }
            return new PhaseCall(aorta >= VENOUS_AORTA_MIN ? ContrastPhase.PORTAL_VENOUS : ContrastPhase.DELAYED,
                    PhaseSource.ESTIMATED, null);
        }
        return aorta >= AORTA_ALONE_ARTERIAL ? new PhaseCall(ContrastPhase.ARTERIAL, PhaseSource.ESTIMATED, null)
                : unknown(String.format(Locale.ROOT, "aorta %.0f HU enhanced, but no vein, kidney or liver "
                + "segmented to tell arterial from venous", aorta));
    }

    private static Double mean(Map<String, Double> medianHu, String... structures) {
        double sum = 0;
        int n = 0;
        for (String s : structures) {
            Double v = medianHu.get(s);
            if (v != null && !v.isNaN()) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    private static PhaseCall unknown(String reason) {
        return new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.ESTIMATED, reason);
    }
}
