package io.ctcohort.analytics.calibration;

import java.io.Serializable;

/**
 * When the validation exams calibrate an age effect, and what the validation summary flags
 * (docs/DESIGN.md "Validation and calibration").
 *
 * @param minValidationExams a structure x metric needs at least this many validation pairs to be calibrated
 * @param minSlope           a calibration slope below this (or whose 95 % CI includes 0) is not clearly non-zero:
 *                           dividing by it would blow the slope up, so the effect stays uncalibrated
 * @param minMeanDice        flag a structure whose mean Dice falls below this
 * @param slopeLow           flag a calibration slope below this ...
 * @param slopeHigh          ... or above this
 * @param model              what the model's value is regressed on over the validation exams; default
 *                           {@link CalibrationModel#CONDITIONAL}
 * @param minAgeSdRatio      {@link CalibrationModel#CONDITIONAL}: the validation exams' age SD must be at least
 *                           this fraction of the cohort's, else the calibration's age term would be extrapolated
 * @param bootstrap          null: the delta-method interval; else a percentile bootstrap over the validation
 *                           exams ({@link BootstrapCalibration})
 */
public record CalibrationOptions(int minValidationExams, double minSlope, double minMeanDice, double slopeLow,
                                 double slopeHigh, CalibrationModel model, double minAgeSdRatio,
                                 Bootstrap bootstrap) implements Serializable {
    /**
     * The bootstrap interval's settings.
     *
     * @param replicates resamples of the validation exams per calibration
     * @param seed       the seed every calibration's resamples derive from (with its structure, metric and
     *                   phase), so a run's intervals are reproducible
     */
    public record Bootstrap(int replicates, long seed) implements Serializable {
        public static final int DEFAULT_REPLICATES = 2000;

        public Bootstrap {
            if (replicates < 100) {
                throw new IllegalArgumentException("a bootstrap interval needs at least 100 replicates, got "
                        + replicates);
            }
        }
    }

    public static final int DEFAULT_MIN_VALIDATION_EXAMS = 20;
    public static final double DEFAULT_MIN_SLOPE = 0.2;
    public static final double DEFAULT_MIN_MEAN_DICE = 0.7;
    public static final double DEFAULT_SLOPE_LOW = 0.8, DEFAULT_SLOPE_HIGH = 1.25;
    public static final double DEFAULT_MIN_AGE_SD_RATIO = 0.5;

    public CalibrationOptions {
        if (minValidationExams < 3) {
            throw new IllegalArgumentException("a calibration needs at least 3 validation exams, got "
                    + minValidationExams);
        }
        if (!(minSlope > 0) || !(slopeLow <= slopeHigh)) {
            throw new IllegalArgumentException("need minSlope > 0 and slopeLow <= slopeHigh, got " + minSlope + ", ["
                    + slopeLow + ", " + slopeHigh + "]");
        }
        java.util.Objects.requireNonNull(model, "model");
        if (!(minAgeSdRatio >= 0)) {
            throw new IllegalArgumentException("need minAgeSdRatio >= 0, got " + minAgeSdRatio);
        }
    }

    /** The default model ({@link CalibrationModel#CONDITIONAL}) and age-spread rule. */
    public CalibrationOptions(int minValidationExams, double minSlope, double minMeanDice, double slopeLow,
                              double slopeHigh) {
        this(minValidationExams, minSlope, minMeanDice, slopeLow, slopeHigh, CalibrationModel.CONDITIONAL,
                DEFAULT_MIN_AGE_SD_RATIO, null);
    }

    public static CalibrationOptions defaults() {
        return new CalibrationOptions(DEFAULT_MIN_VALIDATION_EXAMS, DEFAULT_MIN_SLOPE, DEFAULT_MIN_MEAN_DICE,
                DEFAULT_SLOPE_LOW, DEFAULT_SLOPE_HIGH);
    }

    public CalibrationOptions withMinValidationExams(int n) {
        return new CalibrationOptions(n, minSlope, minMeanDice, slopeLow, slopeHigh, model, minAgeSdRatio, bootstrap);
    }

    public CalibrationOptions withModel(CalibrationModel m) {
        return new CalibrationOptions(minValidationExams, minSlope, minMeanDice, slopeLow, slopeHigh, m, minAgeSdRatio,
                bootstrap);
    }

    /** @param b null for the delta-method interval */
    public CalibrationOptions withBootstrap(Bootstrap b) {
        return new CalibrationOptions(minValidationExams, minSlope, minMeanDice, slopeLow, slopeHigh, model,
                minAgeSdRatio, b);
    }
}
