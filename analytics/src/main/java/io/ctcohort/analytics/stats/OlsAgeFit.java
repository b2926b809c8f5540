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
        return fit(new double[][] {y}, predictors)[0];
    }

    /**
     * Several metrics on one design (the same subjects): the rank check and the QR decomposition are
     * done once and shared, each result the same as {@link #fit(double[], double[][])} alone gives.
     */
    public static Result[] fit(double[][] ys, double[][] predictors) {
        Result[] out = new Result[ys.length];
        int n = predictors.length;
        int k = (predictors.length == 0 ? 1 : predictors[0].length) + 1; // + intercept
        String collinear = null;
        boolean checked = false;
        Ols ols = null;
        for (int m = 0; m < ys.length; m++) {
            double[] y = ys[m];
            if (n - k < 1) {
                out[m] = Result.notEstimable("n=" + n + " too small for " + k + " parameters");
                continue;
            }
            if (isConstant(y)) {
                out[m] = Result.notEstimable("constant metric");
                continue;
            }
            if (!checked) {
                collinear = collinearity(predictors);
                checked = true;
            }
            if (collinear != null) {
                out[m] = Result.notEstimable(collinear);
                continue;
            }
            if (ols == null) {
                ols = new Ols();
                ols.newSampleData(y, predictors);
            } else {
                ols.newY(y);
            }
            double[] beta = ols.estimateRegressionParameters();
            double[] se = ols.estimateRegressionParametersStandardErrors();
            double df = n - k;
            double b = beta[1];
            double s = se[1];
            double t = b / s;
            double p = StudentT.twoSidedP(t, df);
            double q = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, df);
            out[m] = new Result(b, s, t, p, b - q * s, b + q * s, ols.calculateRSquared(), beta[0], null);
        }
        return out;
    }

    /** Commons Math's OLS, its QR decomposition kept while the response changes. */
    private static final class Ols extends OLSMultipleLinearRegression {
        void newY(double[] y) {
            newYSampleData(y);
        }
    }

    private static boolean isConstant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Null when the design [1 | predictors] has full column rank, else a reason naming the problem
     * (QR of the column-normalized design). Takes at least one row.
     */
    public static String collinearity(double[][] predictors) {
        int n = predictors.length;
        int k = predictors[0].length + 1;
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
