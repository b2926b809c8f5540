package io.ctcohort.analytics.centiles;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The natural cubic spline basis of R's {@code splines::ns(x, df)} (intercept = FALSE), reproduced
 * exactly so that a Java fit and an R fit use the same design:
 * <ul>
 *   <li>interior knots at the type-7 quantiles (R's default, numpy's "linear") of x at
 *       {@code seq(0, 1, length = df + 1)} without its ends, i.e. df - 1 interior knots; boundary knots
 *       at min and max of x;</li>
 *   <li>the cubic B-splines on those knots (boundary knots repeated 4 times), first one dropped;</li>
 *   <li>the constraint "second derivative 0 at both boundary knots" projected out the way R does it:
 *       Householder QR of the 2-column constraint matrix (LINPACK dqrdc2), basis multiplied by Q', its
 *       first two columns dropped.</li>
 * </ul>
 * Beyond the boundary knots the spline continues linearly (R: the tangent at the boundary), which
 * this class does too. The columns span the natural cubic splines with these knots, less the constant;
 * a design adds its own intercept column.
 *
 * Immutable; the knots are its whole state.
 */
public final class NaturalSpline implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int ORDER = 4;
    private final double[] interiorKnots;
    private final double lower;
    private final double upper;
    private transient Transform transform;

    public NaturalSpline(double[] interiorKnots, double lower, double upper) {
        interiorKnots = interiorKnots.clone();
        this.interiorKnots = interiorKnots;
        this.lower = lower;
        this.upper = upper;
        if (!(lower < upper)) {
            throw new IllegalArgumentException("boundary knots must increase: " + lower + ", " + upper);
        }
        for (int i = 0; i < interiorKnots.length; i++) {
            double k = interiorKnots[i];
            if (!(k > lower && k < upper) || (i > 0 && !(k > interiorKnots[i - 1]))) {
                throw new IllegalArgumentException("interior knots must lie strictly inside (" + lower + ", " + upper
                        + ") and increase: " + Arrays.toString(interiorKnots));
            }
        }
    }

    /**
     * The basis R's {@code ns(x, df = df)} builds from the data x. Throws IllegalArgumentException where
     * the knots coincide (too few distinct values of x for df), which R would accept with a singular basis.
     */
    public static NaturalSpline of(double[] x, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df must be >= 1, got " + df);
        }
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        int nInterior = df - 1;
        double[] knots = new double[nInterior];
        for (int i = 0; i < nInterior; i++) {
            knots[i] = quantileType7(sorted, (i + 1) / (double) (nInterior + 1));
        }
        return new NaturalSpline(knots, sorted[0], sorted[sorted.length - 1]);
    }

    /** R's quantile(type = 7) of sorted values: linear interpolation between order statistics. */
    static double quantileType7(double[] sorted, double prob) {
        double h = (sorted.length - 1) * prob;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** R's {@code attr(, "knots")}. */
    public double[] interiorKnots() {
        return interiorKnots.clone();
    }

    /** R's {@code attr(, "Boundary.knots")}: the lower and upper boundary knot. */
    public double[] boundaryKnots() {
        return new double[] {lower, upper};
    }

    /** Number of columns (R's df). */
    public int df() {
        return interiorKnots.length + 1;
    }

    /** The basis at x: df values. */
    public double[] basis(double x) {
        Transform tr = transform;
        if (tr == null) {
            tr = transform();
            transform = tr;
        }
        if (x < lower || x > upper) {
            // linear continuation: value + slope at the nearer boundary
            double b = x < lower ? lower : upper;
            double[] v = tr.apply(bsplines(b, 0));
            double[] d = tr.apply(bsplines(b, 1));
            for (int j = 0; j < v.length; j++) {
                v[j] += d[j] * (x - b);
            }
            return v;
        }
        return tr.apply(bsplines(x, 0));
    }

    /** Design rows {@code [1, basis(x)]} (intercept first), one per value of x. */
    public double[][] design(double[] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] b = basis(x[i]);
            double[] row = new double[b.length + 1];
            row[0] = 1.0;
            System.arraycopy(b, 0, row, 1, b.length);
            out[i] = row;
        }
        return out;
    }

    private double[] allKnots() {
        double[] t = new double[interiorKnots.length + 2 * ORDER];
        for (int i = 0; i < ORDER; i++) {
            t[i] = lower;
            t[t.length - 1 - i] = upper;
        }
        System.arraycopy(interiorKnots, 0, t, ORDER, interiorKnots.length);
        return t;
    }

    /**
     * The cubic B-splines (or their deriv-th derivative) at x in [lower, upper], first one dropped (no
     * intercept). At the upper boundary knot the last interval is used, as R's splineDesign does.
     */
    private double[] bsplines(double x, int deriv) {
        double[] t = allKnots();
        double[] all = bspline(t, ORDER, x, deriv);
        return Arrays.copyOfRange(all, 1, all.length);
    }

    /** All B-splines of the given order on knots t at x (Cox-de Boor), or a derivative of them. */
    static double[] bspline(double[] t, int order, double x, int deriv) {
        int nb = t.length - order;
        if (deriv > 0) {
            double[] lowerOrder = bspline(t, order - 1, x, deriv - 1);
            double[] out = new double[nb];
            for (int i = 0; i < nb; i++) {
                double left = t[i + order - 1] - t[i];
                double right = t[i + order] - t[i + 1];
                double a = left > 0 ? lowerOrder[i] / left : 0.0;
                double b = right > 0 && i + 1 < lowerOrder.length ? lowerOrder[i + 1] / right : 0.0;
                out[i] = (order - 1) * (a - b);
            }
            return out;
        }
        // order 1: the indicator of the knot interval holding x; the last non-empty interval is closed.
        int m = t.length - 1;
        double[] b = new double[m];
        int last = m - 1;
        while (last > 0 && !(t[last] < t[last + 1])) {
            last--;
        }
        for (int i = 0; i < m; i++) {
            if (t[i] < t[i + 1] && ((t[i] <= x && x < t[i + 1]) || (i == last && x == t[i + 1]))) {
                b[i] = 1.0;
            }
        }
        for (int k = 2; k <= order; k++) {
            double[] next = new double[t.length - k];
            for (int i = 0; i < next.length; i++) {
                double left = t[i + k - 1] - t[i];
                double right = t[i + k] - t[i + 1];
                double v = 0.0;
                if (left > 0) {
                    v += (x - t[i]) / left * b[i];
                }
                if (right > 0) {
                    v += (t[i + k] - x) / right * b[i + 1];
                }
                next[i] = v;
            }
            b = next;
        }
        return b;
    }

    /** Q' of the QR of the constraint matrix, as LINPACK dqrdc2/dqrsl compute it in R's ns(). */
    private Transform transform() {
        double[] c0 = bsplines(lower, 2);
        double[] c1 = bsplines(upper, 2);
        int m = c0.length;
        // qr(t(const)): an m x 2 matrix, columns = the two constraints
        double[][] a = new double[2][];
        a[0] = c0.clone();
        a[1] = c1.clone();
        double[] qraux = new double[2];
        for (int l = 0; l < 2; l++) {
            if (l == m - 1) {
                break;
            }
            double nrm = 0;
            for (int i = l; i < m; i++) {
                nrm += a[l][i] * a[l][i];
            }
            nrm = Math.sqrt(nrm);
            if (nrm == 0) {
                continue;
            }
            if (a[l][l] != 0) {
                nrm = Math.copySign(nrm, a[l][l]);
            }
            for (int i = l; i < m; i++) {
                a[l][i] /= nrm;
            }
            a[l][l] += 1.0;
            for (int j = l + 1; j < 2; j++) {
                double dot = 0;
                for (int i = l; i < m; i++) {
                    dot += a[l][i] * a[j][i];
                }
                double tt = -dot / a[l][l];
                for (int i = l; i < m; i++) {
                    a[j][i] += tt * a[l][i];
                }
            }
            qraux[l] = a[l][l];
            a[l][l] = -nrm;
        }
        return new Transform(a, qraux, m);
    }

    /** Applies Q' (dqrsl's qty) to a basis row and drops the first two entries. */
    private record Transform(double[][] qr, double[] qraux, int m) {
        double[] apply(double[] row) {
            double[] y = row.clone();
            int ju = Math.min(2, m - 1);
            for (int j = 0; j < ju; j++) {
                if (qraux[j] == 0) {
                    continue;
                }
                double[] v = qr[j].clone();
                v[j] = qraux[j];
                double dot = 0;
                for (int i = j; i < m; i++) {
                    dot += v[i] * y[i];
                }
                double tt = -dot / v[j];
                for (int i = j; i < m; i++) {
                    y[i] += tt * v[i];
                }
            }
            return Arrays.copyOfRange(y, 2, m);
        }
    }
}
