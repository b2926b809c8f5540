package io.ctcohort.analytics.calibration;

import io.ctcohort.analytics.stats.StudentT;
import java.io.Serializable;

/**
 * The calibration of a metric: ordinary least squares of the model's value on the reference's over
 * the validation exams, {@code model = intercept + slope x reference + error}. The reference is taken
 * as error-free, so OLS is unbiased for the slope (error in the response; Carroll et al. 2006,
 * ch. 15). Standard errors are the usual ones with n - 2 degrees of freedom. Not estimable (NaN and a
 * reason) with fewer than 3 pairs or a constant reference.
 */
public record CalibrationFit(long n, double slope, double slopeSe, double intercept, double interceptSe,
                             String reason) implements Serializable {
    private static final double CONFIDENCE = 0.95;

    /** @param model and @param reference the paired values (finite), one pair per validation exam */
    public static CalibrationFit fit(double[] model, double[] reference) {
        int n = model.length;
        if (reference.length != n) {
            throw new IllegalArgumentException(n + " model values but " + reference.length + " reference values");
        }
        if (n < 3) {
            return notEstimable(n, n + " validation pairs, need at least 3");
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += reference[i] / n;
            my += model[i] / n;
        }
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = reference[i] - mx;
            sxx += dx * dx;
            sxy += dx * (model[i] - my);
        }
        if (!(sxx > 0)) {
            return notEstimable(n, "constant reference values");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = model[i] - intercept - slope * reference[i];
            sse += r * r;
        }
        double s2 = sse / (n - 2);
        return new CalibrationFit(n, slope, Math.sqrt(s2 / sxx), intercept, Math.sqrt(s2 * (1.0 / n + mx * mx / sxx)),
                null);
    }

    private static CalibrationFit notEstimable(long n, String reason) {
        return new CalibrationFit(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, reason);
    }

    public boolean estimable() {
        return reason == null;
    }

    /** Degrees of freedom of the slope's standard error. */
    public double df() {
        return n - 2;
    }

    /** The slope's 95 % interval from Student's t with n - 2 df: {low, high}. */
    public double[] slopeInterval() {
        double q = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, df());
        return new double[] {slope - q * slopeSe, slope + q * slopeSe};
    }
}
