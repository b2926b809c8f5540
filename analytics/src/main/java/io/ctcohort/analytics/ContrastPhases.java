package io.ctcohort.analytics;

import java.util.List;
import java.util.Locale;

/**
 * The contrast phases the study tells apart and the metrics that depend on them. Both engines read
 * {@code exams.contrast_phase} through {@link #normalize} (the Spark engine as a UDF), so the two
 * cannot disagree on which exams are native.
 */
public final class ContrastPhases {
    /** The known phases, in reference order: the first present in a fit is its reference level. */
    public static final List<String> KNOWN = List.of("native", "arterial", "portal_venous", "delayed");

    private ContrastPhases() {
    }

    /**
     * A known phase as written in the exams table (case and surrounding spaces ignored), else null:
     * {@code unknown}, null and anything else are exams whose phase is not known.
     */
    public static String normalize(String phase) {
        if (phase == null) {
            return null;
        }
        String p = phase.strip().toLowerCase(Locale.ROOT);
        return KNOWN.contains(p) ? p : null;
    }

    /**
     * Whether a metric is an attenuation (HU) figure that contrast raises: the measurements' {@code hu_*}
     * columns and the biomarkers named {@code *_hu} (trabecular_hu, liver_hu, spleen_hu,
     * liver_spleen_difference_hu, muscle_hu). Volumes, areas and calcium scores are not.
     */
    public static boolean isAttenuation(String metric) {
        return metric.startsWith("hu_") || metric.endsWith("_hu");
    }
}
