package io.ctcohort.analytics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The contrast-phase treatment of one study, resolved once from {@code --phase} and the known phases
 * of the analysed exams (those with a QC-passed row, an age and sex F or M): phase is taken into
 * account only when they hold at least two known phases. Passed to every per-structure fit.
 *
 * @param mode  what --phase asked for
 * @param known the known phases of the analysed exams, in {@link ContrastPhases#KNOWN} order
 */
public record PhasePlan(PhaseMode mode, List<String> known) implements Serializable {
    /** age_effects.phase of a row fitted over every phase. */
    public static final String ALL_PHASES = "all";
    /** age_effects.phase_adjustment values. */
    public static final String NONE = "none", IGNORED = "ignored", ADJUSTED = "adjusted", STRATIFIED = "stratified";

    public PhasePlan {
        known = List.copyOf(known);
    }

    /** The plan for {@code mode} given the phases seen (any order, repeats and nulls allowed). */
    public static PhasePlan of(PhaseMode mode, Collection<String> seen) {
        List<String> known = new ArrayList<>();
        for (String p : ContrastPhases.KNOWN) {
            if (seen.contains(p)) {
                known.add(p);
            }
        }
        return new PhasePlan(mode, known);
    }

    /** No phase information: every metric fitted as before. */
    public static PhasePlan none() {
        return new PhasePlan(PhaseMode.IGNORE, List.of());
    }

    /** Whether the exams hold more than one known phase. */
    public boolean mixed() {
        return known.size() > 1;
    }

    /** How the fits of {@code metric} treat phase: adjust or stratify only attenuation metrics of a mixed cohort. */
    public PhaseMode modeFor(String metric) {
        return mixed() && ContrastPhases.isAttenuation(metric) ? mode : null;
    }

    /** The phase_adjustment label of the pooled rows of {@code metric}. */
    public String label(String metric) {
        PhaseMode m = modeFor(metric);
        if (m == null) {
            return NONE;
        }
        return switch (m) {
            case ADJUST -> ADJUSTED;
            case STRATIFY -> STRATIFIED;
            case IGNORE -> IGNORED;
        };
    }

    /**
     * Whether an exam of this phase enters the reference centiles of {@code metric}: while phase is
     * adjusted or stratified, centiles of attenuation metrics are native-phase references.
     */
    public boolean inCentiles(String metric, String phase) {
        PhaseMode m = modeFor(metric);
        return m == null || m == PhaseMode.IGNORE || "native".equals(phase);
    }
}
