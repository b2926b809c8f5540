package io.ctcohort.analytics.calibration;

import java.io.Serializable;

/**
 * An age effect corrected for the model's bias: {@code beta} = the study's beta_age / the calibration
 * slope, its standard error and 95 % interval ({@link RegressionCalibration}). NaN with a
 * {@code reason} where it cannot be calibrated; {@code calibrationSlope} and {@code nValidation} are
 * reported whenever there were validation pairs.
 *
 * @param df the Welch-Satterthwaite degrees of freedom of {@code se}
 */
public record CalibratedEffect(double beta, double se, double df, double ciLow, double ciHigh,
                               double calibrationSlope, long nValidation, String reason) implements Serializable {

    static CalibratedEffect notCalibrated(double slope, long nValidation, String reason) {
        double nan = Double.NaN;
        return new CalibratedEffect(nan, nan, nan, nan, nan, slope, nValidation, reason);
    }

    public boolean calibrated() {
        return reason == null;
    }

    public boolean covers(double value) {
        return ciLow <= value && value <= ciHigh;
    }
}
