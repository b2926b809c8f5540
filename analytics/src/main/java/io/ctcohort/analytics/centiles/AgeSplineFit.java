package io.ctcohort.analytics.centiles;

import io.ctcohort.analytics.stats.OlsAgeFit;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

import java.io.Serializable;

/**
 * {@code analyze --age-spline DF}: is the age effect linear? OLS of the metric on a natural cubic spline
 * of age ({@link NaturalSpline}, DF df, knots at the age quantiles of the stratum) against the linear
 * model, both with the study's other terms (male in stratum {@code all}, the covariates):
 * <pre>
 *   linear: metric ~ 1 + age            [+ male] [+ covariates]
 *   spline: metric ~ 1 + ns(age, DF)    [+ male] [+ covariates]
 * </pre>
 * The linear model is nested in the spline model (ns spans age), so the joint test of the DF - 1 extra
 * terms is the F test {@code F = ((RSS_lin - RSS_spl) / (DF - 1)) / (RSS_spl / (n - k_spl))}, p from
 * F(DF - 1, n - k_spl) through the regularized incomplete beta function (statsmodels' compare_f_test).
 * Householder QR (Commons Math) for both fits. The fitted spline curve at whole years of age (the
 * covariates at their means, in a sex stratum) is kept for the report.
 *
 * @param curveAge   whole years over the stratum's age range (empty in stratum all or when not estimable)
 * @param curveValue the spline model's fitted mean at those ages
 */
public record AgeSplineFit(String structure, String metric, String stratum, long n, int splineDf, double rssLinear,
                           double rssSpline, double fStat, int dfNum, int dfDen, double pNonlinear, double r2Linear,
                           double r2Spline, double[] curveAge, double[] curveValue, String reason)
        implements Serializable {

    /**
     * @param age        ages of the complete cases
     * @param y          the metric
     * @param male       1 for men, 0 for women (stratum all), or null (a sex stratum)
     * @param covariates covariates[i] = the covariates of case i (may be empty rows)
     */
    public static AgeSplineFit fit(String structure, String metric, String stratum, double[] age, double[] y,
                                   double[] male, double[][] covariates, int df) {
        int n = y.length;
        int nCov = n == 0 ? 0 : covariates[0].length;
        int extra = (male == null ? 0 : 1) + nCov;
        int kSpline = 1 + df + extra;
        int kLinear = 2 + extra;
        if (n - kSpline < 1) {
            return notEstimable(structure, metric, stratum, n, df, "n=" + n + " too small for " + kSpline + " parameters");
        }
        if (isConstant(y)) {
            return notEstimable(structure, metric, stratum, n, df, "constant metric");
        }
        NaturalSpline spline;
        try {
            spline = NaturalSpline.of(age, df);
        } catch (IllegalArgumentException e) {
            return notEstimable(structure, metric, stratum, n, df, "too few distinct ages for a spline with df=" + df);
        }
        double[][] xLinear = new double[n][kLinear - 1];
        double[][] xSpline = new double[n][kSpline - 1];
        for (int i = 0; i < n; i++) {
            double[] b = spline.basis(age[i]);
            xLinear[i][0] = age[i];
            System.arraycopy(b, 0, xSpline[i], 0, df);
            int j = 0;
            if (male != null) {
                xLinear[i][1] = male[i];
                xSpline[i][df] = male[i];
                j = 1;
            }
            for (int c = 0; c < nCov; c++) {
                xLinear[i][1 + j + c] = covariates[i][c];
                xSpline[i][df + j + c] = covariates[i][c];
            }
        }
        if (OlsAgeFit.collinearity(xSpline) != null || OlsAgeFit.collinearity(xLinear) != null) {
            return notEstimable(structure, metric, stratum, n, df, "collinear design");
        }
        OLSMultipleLinearRegression lin = new OLSMultipleLinearRegression();
        lin.newSampleData(y, xLinear);
        OLSMultipleLinearRegression spl = new OLSMultipleLinearRegression();
        spl.newSampleData(y, xSpline);
        double rssLin = lin.calculateResidualSumOfSquares();
        double rssSpl = spl.calculateResidualSumOfSquares();
        int d1 = kSpline - kLinear;
        int d2 = n - kSpline;
        double f = ((rssLin - rssSpl) / d1) / (rssSpl / d2);
        double p = fUpperTail(f, d1, d2);

        double[] curveAge = new double[0];
        double[] curveValue = new double[0];
        if (male == null) {
            double[] beta = spl.estimateRegressionParameters();
            double[] covMean = new double[nCov];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < nCov; c++) {
                    covMean[c] += covariates[i][c] / n;
                }
            }
            double[] boundary = spline.boundaryKnots();
            int from = (int) Math.ceil(boundary[0]);
            int to = (int) Math.floor(boundary[1]);
            curveAge = new double[Math.max(0, to - from + 1)];
            curveValue = new double[curveAge.length];
            for (int k = 0; k < curveAge.length; k++) {
                curveAge[k] = from + k;
                double[] b = spline.basis(curveAge[k]);
                double v = beta[0];
                for (int j = 0; j < df; j++) {
                    v += beta[1 + j] * b[j];
                }
                for (int c = 0; c < nCov; c++) {
                    v += beta[1 + df + c] * covMean[c];
                }
                curveValue[k] = v;
            }
        }
        return new AgeSplineFit(structure, metric, stratum, n, df, rssLin, rssSpl, f, d1, d2, p,
                lin.calculateRSquared(), spl.calculateRSquared(), curveAge, curveValue, null);
    }

    /** P(F > f) for F(d1, d2) = I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2): no cancellation for tiny p. */
    static double fUpperTail(double f, int d1, int d2) {
        if (Double.isNaN(f)) {
            return Double.NaN;
        }
        if (f <= 0) {
            return 1.0;
        }
        if (Double.isInfinite(f)) {
            return 0.0;
        }
        double x = d2 / (d2 + d1 * f);
        return Math.min(1.0, Math.max(0.0, Beta.regularizedBeta(x, d2 / 2.0, d1 / 2.0, 1e-15, Integer.MAX_VALUE)));
    }

    private static AgeSplineFit notEstimable(String structure, String metric, String stratum, long n, int df,
                                             String reason) {
        double nan = Double.NaN;
        return new AgeSplineFit(structure, metric, stratum, n, df, nan, nan, nan, df - 1, (int) Math.max(0, n - 1 - df),
                nan, nan, nan, new double[0], new double[0], reason);
    }

    private static boolean isConstant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }
}
