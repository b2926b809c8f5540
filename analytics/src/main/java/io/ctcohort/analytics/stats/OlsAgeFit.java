package io.ctcohort.analytics.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Ordinary least squares {@code metric ~ 1 + age + covariates} and the inference on the age
 * coefficient exactly as statsmodels OLS reports it (t with n - k df, 95 % CI from t quantiles,
 * centred R^2). Householder QR (Commons Math OLSMultipleLinearRegression) keeps the estimates within
 * ~1e-12 of statsmodels' pseudo-inverse for every design of this study, which the normal equations
 * do not. Designs that cannot be estimated give NaN and a reason, never an exception.
 */
public final class OlsAgeFit {
    /** Relative size of a QR diagonal element below which a (norm-scaled) column counts as collinear. */
    private static final double COLLINEARITY_TOLERANCE = 1e-10;
    private static final double CONFIDENCE = 0.95;

    /** The age coefficient and its inference; NaN everywhere with a reason when not estimable. */
    public record Result(double betaAge, double seAge, double tAge, double pAge, double ciLow, double ciHigh,
                         double r2, double intercept, String reason) {
        static Result notEstimable(String reason) {
            double nan = Double.NaN;
            return new Result(nan, nan, nan, nan, nan, nan, nan, nan, reason);
        }
    }

    private OlsAgeFit() {
    }

    /**
     * @param y          the metric, one value per subject
     * @param predictors predictors[i] = row of subject i WITHOUT the intercept; column 0 must be age
     */
    public static Result fit(double[] y, double[][] predictors) {
        int n = y.length;
        int k = (predictors.length == 0 ? 1 : predictors[0].length) + 1; // + intercept
        if (n - k < 1) {
            return Result.notEstimable("n=" + n + " too small for " + k + " parameters");
        }
        if (isConstant(y)) {
            return Result.notEstimable("constant metric");
        }
        String collinear = collinearity(predictors, n, k);
        if (collinear != null) {
            return Result.notEstimable(collinear);
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, predictors);
        double[] beta = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors();
        double df = n - k;
        double b = beta[1];
        double s = se[1];
        double t = b / s;
        double p = StudentT.twoSidedP(t, df);
        double q = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, df);
        return new Result(b, s, t, p, b - q * s, b + q * s, ols.calculateRSquared(), beta[0], null);
    }

    private static boolean isConstant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }

    /** Null when the design [1 | predictors] has full column rank, else a reason naming the problem. */
    private static String collinearity(double[][] predictors, int n, int k) {
        double[][] x = new double[n][k];
        for (int i = 0; i < n; i++) {
            x[i][0] = 1.0;
            System.arraycopy(predictors[i], 0, x[i], 1, k - 1);
        }
        // Scale every column to unit norm so one tolerance fits age (~50) and age^2 (~2500) alike.
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += x[i][j] * x[i][j];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return j == 1 ? "age all zero" : "covariate " + j + " all zero (collinear design)";
            }
            for (int i = 0; i < n; i++) {
                x[i][j] /= norm;
            }
        }
        RealMatrix r = new QRDecomposition(new Array2DRowRealMatrix(x, false)).getR();
        for (int j = 1; j < k; j++) {
            if (Math.abs(r.getEntry(j, j)) < COLLINEARITY_TOLERANCE) {
                return j == 1 ? "constant age" : "collinear design (predictor " + j + ")";
            }
        }
        return null;
    }
}
