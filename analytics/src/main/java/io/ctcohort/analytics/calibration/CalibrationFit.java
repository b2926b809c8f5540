package io.ctcohort.analytics.calibration;

import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.stats.StudentT;
import java.io.Serializable;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * The calibration of a metric: ordinary least squares of the model's value over the validation exams,
 * either on the reference alone, {@code model = intercept + slope x reference + error}
 * ({@link #fit(double[], double[])}), or also on the study's covariates,
 * {@code model = intercept + slope x reference + ageCoefficient x age + d' z + error}
 * ({@link #fit(double[], double[], double[][])}). The reference is taken as error-free, so OLS is
 * unbiased for the coefficients (error in the response; Carroll et al. 2006, ch. 15). Standard errors
 * are the usual ones on n - parameters degrees of freedom. Not estimable (NaN and a reason) without
 * residual degrees of freedom, with a constant reference or a collinear design.
 *
 * @param ageCoefficient     c, the model's value per year of age at a fixed reference value (0 for the
 *                           reference-only fit)
 * @param ageSe              its standard error (0 for the reference-only fit)
 * @param slopeAgeCovariance the estimated covariance of slope and ageCoefficient
 * @param parameters         coefficients fitted, the intercept included
 */
public record CalibrationFit(long n, double slope, double slopeSe, double intercept, double interceptSe,
                             double ageCoefficient, double ageSe, double slopeAgeCovariance, int parameters,
                             String reason) implements Serializable {
    private static final double CONFIDENCE = 0.95;
    /** A reference-only fit: no age term. */
    public CalibrationFit(long n, double slope, double slopeSe, double intercept, double interceptSe, String reason) {
        this(n, slope, slopeSe, intercept, interceptSe, 0, 0, 0, 2, reason);
    }

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

    /**
     * The fit conditional on the study's covariates.
     *
     * @param covariates one row per pair: age first, then the other terms of the study's model (no
     *                   intercept); rows of length 1 fit age alone beside the reference
     */
    public static CalibrationFit fit(double[] model, double[] reference, double[][] covariates) {
        int n = model.length;
        if (reference.length != n || covariates.length != n) {
            throw new IllegalArgumentException(n + " model values but " + reference.length + " reference values and "
                    + covariates.length + " covariate rows");
        }
        int k = n == 0 ? 1 : covariates[0].length;
        int p = k + 2;
        if (n < p + 1) {
            return notEstimable(n, p, n + " validation pairs for " + p + " calibration coefficients (reference, age"
                    + (k > 1 ? " and " + (k - 1) + " covariate term(s)" : "") + "), need at least " + (p + 1));
        }
        if (constant(reference)) {
            return notEstimable(n, p, "constant reference values");
        }
        double[][] x = new double[n][p - 1]; // age, reference, the other terms
        for (int i = 0; i < n; i++) {
            x[i][0] = covariates[i][0];
            x[i][1] = reference[i];
            for (int j = 1; j < k; j++) {
                x[i][j + 1] = covariates[i][j];
            }
        }
        String collinear = OlsAgeFit.collinearity(x);
        if (collinear != null) {
            return notEstimable(n, p, "validation exams: " + collinear + " among age, reference and covariates");
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(model, x);
        double[] beta = ols.estimateRegressionParameters();
        double[][] cov = ols.estimateRegressionParametersVariance();
        double s2 = ols.estimateErrorVariance();
        // beta: intercept, age (c), reference (b), ...; Commons Math's variance is (X'X)^-1, scaled by s^2 here
        return new CalibrationFit(n, beta[2], Math.sqrt(s2 * cov[2][2]), beta[0], Math.sqrt(s2 * cov[0][0]), beta[1],
                Math.sqrt(s2 * cov[1][1]), s2 * cov[1][2], p, null);
    }

    private static boolean constant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }

    private static CalibrationFit notEstimable(long n, String reason) {
        return notEstimable(n, 2, reason);
    }

    private static CalibrationFit notEstimable(long n, int parameters, String reason) {
        double nan = Double.NaN;
        return new CalibrationFit(n, nan, nan, nan, nan, nan, nan, nan, parameters, reason);
    }

    public boolean estimable() {
        return reason == null;
    }

    /** Degrees of freedom of the standard errors: n - parameters. */
    public double df() {
        return n - parameters;
    }

    /** The slope's 95 % interval from Student's t with {@link #df()} df: {low, high}. */
    public double[] slopeInterval() {
        double q = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, df());
        return new double[] {slope - q * slopeSe, slope + q * slopeSe};
    }
}
