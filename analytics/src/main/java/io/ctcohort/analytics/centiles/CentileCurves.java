package io.ctcohort.analytics.centiles;

import org.apache.commons.math3.special.Erf;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Age-specific centile curves of one metric in one sex, and where an exam's value lies on them.
 *
 * <p>Model (Wei, Pere, Koenker & He 2006, "Quantile regression methods for reference growth charts"):
 * for each quantile tau of a dense grid (every {@link CentileOptions#gridStep()} percent between the
 * lowest and highest reported centile), the linear quantile regression of the metric on
 * {@code [1, ns(age, df)]} ({@link NaturalSpline}, knots at age quantiles), solved exactly
 * ({@link QuantileRegression}). The grid is fitted outward from the median, each fit warm-started
 * from its neighbour's vertex.
 *
 * <p>Crossing: separately fitted quantile curves can cross, and neighbouring quantiles of a dense grid
 * often do where data are sparse. The monotone rearrangement of Chernozhukov, Fernandez-Val & Galichon
 * (2010, Econometrica 78) sorts the fitted grid values at each age: the sorted values are the quantiles
 * of the fitted conditional distribution, never a worse estimate of the true curves than the raw fits.
 * The reported centiles are read off the sorted grid ({@link #centileValues}), so chart and scores come
 * from one distribution: an exam on a charted centile has that centile as its rank. Where neighbouring
 * grid fits cross, a reported value differs a little from the raw fit of its quantile (R's rq value).
 *
 * <p>Scores: an exam's centile rank is that rearranged conditional distribution function at its value,
 * linear between neighbouring grid quantiles at its age, and beyond the outermost reported centiles
 * linear in normal scores along the outermost pair of reported centiles (e.g. through the 3rd and
 * 10th); z is the normal score of the rank, {@code Phi^-1(rank / 100)}.
 *
 * <p>A group too small for a stable fit ({@link CentileOptions#requiredExams()}), with too few distinct
 * ages for its knots, or with a collinear design has no curves, only a {@link #reason()}.
 */
public final class CentileCurves implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String METHOD = "quantile_regression";
    /** Relative difference below which a value equals a grid quantile. */
    static final double TIE_TOLERANCE = 1e-10;

    private final int n;
    private final double ageMin;
    private final double ageMax;
    private final NaturalSpline spline;
    private final double[] taus;
    private final double[][] coefficients;
    private final double[] centiles;
    private final int[] centileIndex;
    private final String reason;
    private final int pivots;
    private final transient QuantileRegression.Fit[] fits;

    private CentileCurves(int n, double ageMin, double ageMax, NaturalSpline spline, double[] taus,
                          double[][] coefficients, double[] centiles, String reason, int pivots,
                          QuantileRegression.Fit[] fits) {
        this.n = n;
        this.ageMin = ageMin;
        this.ageMax = ageMax;
        this.spline = spline;
        this.taus = taus;
        this.coefficients = coefficients;
        this.centiles = centiles;
        this.reason = reason;
        this.pivots = pivots;
        this.fits = fits;
        this.centileIndex = new int[centiles.length];
        if (taus != null) {
            for (int c = 0; c < centiles.length; c++) {
                centileIndex[c] = indexOf(taus, centiles[c] / 100.0);
            }
        }
    }

    /** Fits the curves with warm starts across the quantile grid. */
    public static CentileCurves fit(double[] age, double[] value, CentileOptions options) {
        return fit(age, value, options, true);
    }

    /**
     * @param warmStarts false: every quantile of the grid from a fresh starting vertex (for benchmarks;
     *                   the solutions are the same)
     */
    public static CentileCurves fit(double[] age, double[] value, CentileOptions options, boolean warmStarts) {
        if (age.length != value.length) {
            throw new IllegalArgumentException(age.length + " ages for " + value.length + " values");
        }
        int n = age.length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(age[i]) || !Double.isFinite(value[i])) {
                throw new IllegalArgumentException("age and value must be finite (row " + i + ")");
            }
            lo = Math.min(lo, age[i]);
            hi = Math.max(hi, age[i]);
        }
        double[] centiles = options.centiles();
        int required = options.requiredExams();
        if (n < required) {
            return failed(n, lo, hi, centiles, "n=" + n + " below the " + required + " exams a stable fit needs"
                    + (options.minExams() > 0 ? "" : " (" + CentileOptions.TAIL_EXAMS + " expected beyond centiles "
                    + fmt(centiles[0]) + " and " + fmt(centiles[centiles.length - 1]) + ")"));
        }
        NaturalSpline spline;
        try {
            spline = NaturalSpline.of(age, options.splineDf());
        } catch (IllegalArgumentException e) {
            return failed(n, lo, hi, centiles, "too few distinct ages for a spline with df=" + options.splineDf());
        }
        double[][] x = spline.design(age);
        double[] taus = options.gridTaus();
        QuantileRegression.Fit[] fits = new QuantileRegression.Fit[taus.length];
        int pivots = 0;
        try {
            QuantileRegression qr = new QuantileRegression(x, value);
            int mid = 0;
            for (int k = 1; k < taus.length; k++) {
                if (Math.abs(taus[k] - 0.5) < Math.abs(taus[mid] - 0.5)) {
                    mid = k;
                }
            }
            fits[mid] = qr.solveCold(taus[mid]);
            for (int k = mid + 1; k < taus.length; k++) {
                fits[k] = warmStarts ? qr.solve(taus[k]) : qr.solveCold(taus[k]);
            }
            for (int k = mid - 1; k >= 0; k--) {
                fits[k] = warmStarts ? (k == mid - 1 ? qr.solveFrom(taus[k], fits[mid].basis()) : qr.solve(taus[k]))
                        : qr.solveCold(taus[k]);
            }
        } catch (IllegalArgumentException e) {
            return failed(n, lo, hi, centiles, "collinear design: " + e.getMessage());
        } catch (IllegalStateException e) {
            return failed(n, lo, hi, centiles, "quantile regression failed: " + e.getMessage());
        }
        double[][] coefficients = new double[taus.length][];
        for (int k = 0; k < taus.length; k++) {
            coefficients[k] = fits[k].coefficients();
            pivots += fits[k].pivots();
        }
        return new CentileCurves(n, lo, hi, spline, taus, coefficients, centiles, null, pivots, fits);
    }

    private static CentileCurves failed(int n, double lo, double hi, double[] centiles, String reason) {
        return new CentileCurves(n, lo, hi, null, null, null, centiles, reason, 0, null);
    }

    private static int indexOf(double[] taus, double tau) {
        for (int k = 0; k < taus.length; k++) {
            if (Math.abs(taus[k] - tau) < 1e-9) {
                return k;
            }
        }
        throw new IllegalStateException("centile " + tau + " not in the grid");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public int n() {
        return n;
    }

    /** Why there are no curves; null when there are. */
    public String reason() {
        return reason;
    }

    public boolean fitted() {
        return reason == null;
    }

    public double ageMin() {
        return ageMin;
    }

    public double ageMax() {
        return ageMax;
    }

    public double[] centiles() {
        return centiles.clone();
    }

    public NaturalSpline spline() {
        return spline;
    }

    /** Simplex pivots over the whole grid. */
    public int pivots() {
        return pivots;
    }

    /** The quantile grid that was fitted (fractions). */
    public double[] gridTaus() {
        return taus.clone();
    }

    /** The raw fit of grid quantile tau (before rearrangement); only on the instance that fitted. */
    public QuantileRegression.Fit rawFit(double tau) {
        if (fits == null) {
            throw new IllegalStateException(reason != null ? reason : "raw fits are not serialized");
        }
        return fits[indexOf(taus, tau)];
    }

    /** Whole years from the youngest to the oldest age of the group (rounded inward). */
    public int[] ageGrid() {
        int from = (int) Math.ceil(ageMin);
        int to = (int) Math.floor(ageMax);
        int[] out = new int[Math.max(0, to - from + 1)];
        for (int k = 0; k < out.length; k++) {
            out[k] = from + k;
        }
        return out;
    }

    /** The fitted grid quantiles at this age, unsorted (as fitted). */
    public double[] rawQuantiles(double age) {
        requireFitted();
        double[] row = new double[spline.df() + 1];
        row[0] = 1;
        System.arraycopy(spline.basis(age), 0, row, 1, spline.df());
        double[] q = new double[taus.length];
        for (int k = 0; k < taus.length; k++) {
            double v = 0;
            double[] b = coefficients[k];
            for (int l = 0; l < row.length; l++) {
                v += row[l] * b[l];
            }
            q[k] = v;
        }
        return q;
    }

    /** The grid quantiles at this age after the monotone rearrangement (sorted). */
    public double[] quantiles(double age) {
        double[] q = rawQuantiles(age);
        Arrays.sort(q);
        return q;
    }

    /** The reported centiles at this age, read off the rearranged grid (one value per {@link #centiles()}). */
    public double[] centileValues(double age) {
        double[] q = quantiles(age);
        double[] out = new double[centiles.length];
        for (int c = 0; c < centiles.length; c++) {
            out[c] = q[centileIndex[c]];
        }
        return out;
    }

    /** Centile rank (0-100) and z-score of a value at an age. */
    public record Score(double centileRank, double z) {
    }

    public Score score(double age, double value) {
        return score(quantiles(age), value);
    }

    /** As {@link #score(double, double)}, given the rearranged grid quantiles at the exam's age. */
    public Score score(double[] q, double value) {
        requireFitted();
        int g = q.length;
        int lo = centileIndex[0];
        int hi = centileIndex[centileIndex.length - 1];
        // values within rounding of a grid quantile count as equal to it (a constant metric fits curves
        // that equal its value up to the last bits)
        double tol = TIE_TOLERANCE * Math.max(Math.max(Math.abs(q[0]), Math.abs(q[g - 1])), Math.abs(value));
        if (value < q[0] - tol || value > q[g - 1] + tol) {
            // beyond the grid: linear in normal scores along the outermost pair of reported centiles
            boolean below = value < q[0];
            int a = below ? lo : hi;
            int b = centileIndex.length > 1 ? (below ? centileIndex[1] : centileIndex[centileIndex.length - 2]) : a;
            double za = probit(taus[a]);
            double zb = probit(taus[b]);
            double z = a != b && q[b] != q[a] ? za + (value - q[a]) * (zb - za) / (q[b] - q[a])
                    : (below ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            return new Score(100 * phi(z), z);
        }
        // inside: the first grid quantile >= value, interpolated with its lower neighbour; grid quantiles
        // equal to the value (a flat run of the rearranged curve) take the middle of their taus
        int k = lowerBound(q, value - tol);
        double tau;
        if (Math.abs(q[k] - value) <= tol) {
            int end = k;
            while (end + 1 < g && Math.abs(q[end + 1] - value) <= tol) {
                end++;
            }
            tau = (taus[k] + taus[end]) / 2;
        } else {
            tau = taus[k - 1] + (value - q[k - 1]) / (q[k] - q[k - 1]) * (taus[k] - taus[k - 1]);
        }
        return new Score(100 * tau, probit(tau));
    }

    private static int lowerBound(double[] q, double v) {
        int a = 0;
        int b = q.length - 1;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (q[m] < v) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        return a;
    }

    static double probit(double p) {
        return Math.sqrt(2) * Erf.erfInv(2 * p - 1);
    }

    static double phi(double z) {
        if (z == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (z == Double.POSITIVE_INFINITY) {
            return 1;
        }
        return z < 0 ? 0.5 * Erf.erfc(-z / Math.sqrt(2)) : 1 - 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    private void requireFitted() {
        if (reason != null) {
            throw new IllegalStateException("no curves: " + reason);
        }
    }
}
