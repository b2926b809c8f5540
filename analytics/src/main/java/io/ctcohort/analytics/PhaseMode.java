package io.ctcohort.analytics;

/**
 * How {@code analyze --phase} treats the contrast phase in the fits of attenuation metrics
 * ({@link ContrastPhases#isAttenuation}); docs/DESIGN.md "Contrast phase in the age study".
 */
public enum PhaseMode {
    /** metric ~ age [+ male] [+ covariates] + one indicator per phase other than the reference (native). */
    ADJUST,
    /** One fit per known phase. */
    STRATIFY,
    /** Phase plays no part (every exam in one fit, as before the phase was recorded). */
    IGNORE;

    /** The value of the option and of {@code phase_adjustment}-related text: lower case. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
