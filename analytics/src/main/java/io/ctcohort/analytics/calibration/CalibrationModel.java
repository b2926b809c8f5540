package io.ctcohort.analytics.calibration;

import java.util.Locale;

/**
 * What the calibration regresses the model's value on over the validation exams (docs/DESIGN.md
 * "Calibrated age effects").
 */
public enum CalibrationModel {
    /**
     * {@code model = a + b x reference + c x age + d' z}, z the study's other covariates of the row
     * (sex, the --covariate columns, the phase indicators of an adjusted fit): allows error that depends
     * on age (differential error); the corrected slope is {@code (beta_age - c) / b}. The default.
     */
    CONDITIONAL,
    /**
     * {@code model = a + b x reference}: assumes the error does not depend on age given the reference
     * (non-differential error); the corrected slope is {@code beta_age / b}. Fewer parameters, so a
     * tighter interval where that assumption holds.
     */
    REFERENCE_ONLY;

    /** The name a --calibration-model value gives: the constant's, lower case, with hyphens. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The model a --calibration-model value names. */
    public static CalibrationModel of(String label) {
        for (CalibrationModel m : values()) {
            if (m.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("calibration model " + label + " is not one of conditional, reference-only");
    }
}
