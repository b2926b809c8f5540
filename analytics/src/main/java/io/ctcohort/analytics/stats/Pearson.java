package io.ctcohort.analytics.stats;

/**
 * Pearson correlation by two passes over centred values. Commons Math's PearsonsCorrelation goes
 * through SimpleRegression's running sums, which agree with numpy's centred formula only to
 * ~1e-13; the golden data needs the same summation numpy uses.
 */
final class Pearson {
    private Pearson() {
    }

    /** NaN when either variable is constant. */
    static double correlation(double[] x, double[] y) {
        int n = x.length;
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        double r = sxy / Math.sqrt(sxx * syy);
        return Math.max(-1.0, Math.min(1.0, r));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }
}
