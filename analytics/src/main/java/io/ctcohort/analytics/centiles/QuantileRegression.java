package io.ctcohort.analytics.centiles;

import java.util.Arrays;

/**
 * Linear quantile regression solved exactly: minimize {@code sum_i rho_tau(y_i - x_i'b)} with
 * {@code rho_tau(u) = u (tau - 1{u < 0})} (Koenker & Bassett 1978), by a simplex method of the
 * Barrodale-Roberts kind, the algorithm behind R quantreg's {@code rq(method = "br")}.
 *
 * <p>Why here and not a library: no Java library on Maven Central solves this LP (Commons Math 3.6.1 has
 * none; Smile's quantile loss is for gradient-boosted trees). A general LP solver (Commons Math
 * SimplexSolver, dense tableau with 2n + 2p columns) would need ~8n^2 doubles for n = 2000 and hours
 * for the 44 000 fits of a cohort. The structure of this LP makes a small exact solver simple:
 *
 * <ul>
 *   <li>A vertex is a set h of p observations with non-singular rows X_h: {@code b = X_h^-1 y_h}, so
 *       these p residuals are 0. The solution set always contains a vertex.</li>
 *   <li>The edges from a vertex move one basic observation j off its zero residual, up or down:
 *       {@code b(t) = b + t s z_j} with {@code z_j} the j-th column of X_h^-1 and s = +-1. The
 *       objective's derivative along the edge is {@code (1 - tau) - c_j} (s = +1) or
 *       {@code tau + c_j} (s = -1), with {@code c = X_h^-T sum_{i not in h} x_i psi(r_i)} and
 *       {@code psi = tau} for positive, {@code tau - 1} for negative residuals. The vertex is optimal iff
 *       both are >= 0 for every j, i.e. {@code -c} lies in {@code [tau - 1, tau]^p}: that is also the
 *       dual certificate (the subgradient condition), checked once more on the final vertex.</li>
 *   <li>Along the steepest descending edge the objective is convex piecewise linear: its slope rises by
 *       {@code |x_i'z_j|} at each observation whose residual crosses 0. The exact line search walks the
 *       breakpoints in order (a weighted median, Barrodale & Roberts' step through several vertices at
 *       once) and the observation at the minimum enters the basis. Each step lowers the objective.</li>
 *   <li>The tableau {@code A = X X_h^-1} (n x p) is updated by the pivot in O(np) and refactorized from
 *       scratch every {@link #REFACTOR_EVERY} pivots and at the end (Gauss-Jordan with partial
 *       pivoting of the p x p basis), so rounding does not accumulate.</li>
 *   <li>Ties (observations with equal x and y, or p + 1 points on one hyperplane) make vertices
 *       degenerate. The solver works on y plus a tiny fixed perturbation (1e-9 of the range of y,
 *       the lexicographic rule in numbers) where no residual besides the basic ones is 0, so no step has
 *       length 0 and the method cannot cycle; the final basis is then evaluated on the unperturbed y and
 *       its certificate re-checked there (zero residuals may take any psi in [tau - 1, tau]).</li>
 * </ul>
 *
 * <p>Fits at several tau share work: {@link #solve(double)} starts from the vertex of the previous
 * call (a warm start; neighbouring quantiles usually differ by a few pivots), {@link #solveCold} from a
 * vertex near a least-squares fit shifted to the tau-quantile of its residuals.
 *
 * <p>Not thread-safe (it holds the tableau of the last vertex); one instance per design and thread.
 */
public final class QuantileRegression {
    static final int REFACTOR_EVERY = 32;
    /** Relative size of the y perturbation that breaks ties (see class comment). */
    static final double PERTURBATION = 1e-9;
    /** Optimality tolerance on the edge derivatives, relative to their scale sum |x_i'z_j|. */
    static final double OPTIMALITY_TOLERANCE = 1e-11;
    /** A breakpoint needs |x_i'z_j| above this (relative) to count: a pivot on it must be well defined. */
    static final double PIVOT_TOLERANCE = 1e-11;

    /**
     * One fitted quantile.
     *
     * @param tau          the quantile
     * @param coefficients b, in the column order of the design
     * @param basis        the p observations with zero residual that define the vertex (indices into y)
     * @param objective    {@code sum rho_tau(y - Xb)} on the unperturbed y
     * @param pivots       simplex steps this fit took
     * @param certified    the dual certificate holds on the unperturbed data (always, barring trouble)
     */
    public record Fit(double tau, double[] coefficients, int[] basis, double objective, int pivots,
                      boolean certified) {
        /** x'b */
        public double predict(double[] row) {
            double v = 0;
            for (int j = 0; j < row.length; j++) {
                v += row[j] * coefficients[j];
            }
            return v;
        }
    }

    private final int n;
    private final int p;
    private final double[][] x;      // rows
    private final double[] yOrig;
    private final double[] y;        // perturbed
    private final long maxIterations;

    // the current vertex
    private int[] basis;
    private final boolean[] inBasis;
    private double[][] binv;         // binv[k][j] = (X_h^-1)[k][j]: column j is z_j
    private final double[][] a;      // a[j][i] = x_i . z_j
    private final double[] r;        // residuals on the perturbed y
    private double[] coef;
    private int pivotsSinceFactor;

    // scratch: psi per observation, the line search's heap
    private final double[] psi;
    private final double[] heapT;
    private final int[] heapI;

    /**
     * @param x design rows (n x p, the intercept column included where wanted); must have rank p
     * @param y responses
     */
    public QuantileRegression(double[][] x, double[] y) {
        this.n = y.length;
        this.p = x.length == 0 ? 0 : x[0].length;
        if (x.length != n) {
            throw new IllegalArgumentException(x.length + " design rows for " + n + " responses");
        }
        if (n <= p || p == 0) {
            throw new IllegalArgumentException("need more observations (" + n + ") than columns (" + p + ")");
        }
        this.x = x;
        this.yOrig = y;
        this.y = perturbed(y);
        this.inBasis = new boolean[n];
        this.a = new double[p][n];
        this.r = new double[n];
        this.psi = new double[n];
        this.heapT = new double[n];
        this.heapI = new int[n];
        this.maxIterations = 50L * n + 1000;
    }

    public int observations() {
        return n;
    }

    /** y + a fixed tiny perturbation (1e-9 of the range of y; deterministic in the observation index). */
    private static double[] perturbed(double[] y) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("y must be finite, got " + v);
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double scale = PERTURBATION * Math.max(hi - lo, Math.max(Math.abs(hi), Math.abs(lo)) * 1e-3 + Double.MIN_NORMAL);
        double[] out = new double[y.length];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < y.length; i++) {
            state += 0x9E3779B97F4A7C15L; // splitmix64: a fixed sequence, no global random state
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            double u = ((z >>> 11) * 0x1.0p-53) - 0.5;
            out[i] = y[i] + scale * u;
        }
        return out;
    }

    /** Fits tau, starting from the previous call's vertex if there was one. */
    public Fit solve(double tau) {
        if (basis == null) {
            return solveCold(tau);
        }
        return iterate(tau);
    }

    /** Fits tau from a fresh starting vertex (no warm start). */
    public Fit solveCold(double tau) {
        checkTau(tau);
        return solveFrom(tau, initialBasis(tau));
    }

    /** Fits tau starting from the vertex of the given basis (e.g. an earlier fit's {@link Fit#basis()}). */
    public Fit solveFrom(double tau, int[] start) {
        checkTau(tau);
        if (start.length != p) {
            throw new IllegalArgumentException("a basis has " + p + " observations, got " + start.length);
        }
        basis = start.clone();
        Arrays.fill(inBasis, false);
        for (int h : basis) {
            inBasis[h] = true;
        }
        factor();
        return iterate(tau);
    }

    private static void checkTau(double tau) {
        if (!(tau > 0 && tau < 1)) {
            throw new IllegalArgumentException("tau must lie in (0, 1), got " + tau);
        }
    }

    private Fit iterate(double tau) {
        checkTau(tau);
        int pivots = 0;
        double[] c = new double[p];
        double[] scale = edgeScales();
        while (true) {
            if (pivots > maxIterations) {
                throw new IllegalStateException("quantile regression did not converge in " + pivots + " pivots");
            }
            // c_j = sum_{i not in h} psi(r_i) a_ij (basic observations have psi 0)
            for (int i = 0; i < n; i++) {
                double ri = r[i];
                psi[i] = inBasis[i] ? 0 : (ri > 0 ? tau : (ri < 0 ? tau - 1 : 0));
            }
            for (int j = 0; j < p; j++) {
                double[] aj = a[j];
                double cj = 0;
                for (int i = 0; i < n; i++) {
                    cj += psi[i] * aj[i];
                }
                c[j] = cj;
            }
            // steepest descending edge
            int bestJ = -1;
            int bestS = 0;
            double bestG = 0;
            for (int j = 0; j < p; j++) {
                double gUp = (1 - tau) - c[j];
                double gDown = tau + c[j];
                double tol = OPTIMALITY_TOLERANCE * scale[j];
                if (gUp < -tol && gUp < bestG) {
                    bestG = gUp;
                    bestJ = j;
                    bestS = 1;
                }
                if (gDown < -tol && gDown < bestG) {
                    bestG = gDown;
                    bestJ = j;
                    bestS = -1;
                }
            }
            if (bestJ < 0) {
                break;
            }
            if (!lineSearchAndPivot(bestJ, bestS, bestG, scale[bestJ])) {
                break; // no breakpoint ahead: only possible through rounding; refactor and re-check below
            }
            pivots++;
            if (++pivotsSinceFactor >= REFACTOR_EVERY) {
                factor();
                scale = edgeScales();
            }
        }
        factor();
        return finish(tau, pivots);
    }

    /** 1 + sum_i |a_ij| per edge j: the scale of its derivative, for tolerances (need not be current). */
    private double[] edgeScales() {
        double[] scale = new double[p];
        for (int j = 0; j < p; j++) {
            double s = 1;
            for (double v : a[j]) {
                s += Math.abs(v);
            }
            scale[j] = s;
        }
        return scale;
    }

    /**
     * Moves along edge (j, s) to the minimum of the objective on it and pivots there. Returns false when
     * no observation's residual changes sign along the edge.
     */
    private boolean lineSearchAndPivot(int j, int s, double slope0, double scale) {
        double[] aj = a[j];
        double eps = PIVOT_TOLERANCE * scale;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (inBasis[i]) {
                continue;
            }
            double d = s * aj[i];
            double ri = r[i];
            if ((ri > 0 && d > eps) || (ri < 0 && d < -eps)) {
                heapT[m] = ri / d;
                heapI[m] = i;
                m++;
            }
        }
        if (m == 0) {
            return false;
        }
        // min-heap on t; pop breakpoints in order until the slope turns non-negative
        for (int k = m / 2 - 1; k >= 0; k--) {
            siftDown(k, m);
        }
        double slope = slope0;
        int enter = -1;
        double step = 0;
        while (m > 0) {
            int i = heapI[0];
            double t = heapT[0];
            slope += Math.abs(aj[i]);
            if (slope >= 0 || m == 1) {
                enter = i;
                step = t;
                break;
            }
            m--;
            heapT[0] = heapT[m];
            heapI[0] = heapI[m];
            siftDown(0, m);
        }
        pivot(j, s, enter, step);
        return true;
    }

    private void siftDown(int k, int m) {
        double t = heapT[k];
        int idx = heapI[k];
        while (true) {
            int child = 2 * k + 1;
            if (child >= m) {
                break;
            }
            if (child + 1 < m && heapT[child + 1] < heapT[child]) {
                child++;
            }
            if (heapT[child] >= t) {
                break;
            }
            heapT[k] = heapT[child];
            heapI[k] = heapI[child];
            k = child;
        }
        heapT[k] = t;
        heapI[k] = idx;
    }

    /** Observation k replaces basis position j after a step of length t along s z_j. */
    private void pivot(int j, int s, int k, double t) {
        double[] aj = a[j];
        double ts = t * s;
        for (int l = 0; l < p; l++) {
            coef[l] += ts * binv[l][j];
        }
        for (int i = 0; i < n; i++) {
            r[i] -= ts * aj[i];
        }
        int leaving = basis[j];
        r[leaving] = -ts;
        r[k] = 0;
        double piv = aj[k];
        double[] rowK = new double[p];
        for (int l = 0; l < p; l++) {
            rowK[l] = a[l][k];
        }
        // B' column j = z_j / piv; column l = z_l - z_j a_kl / piv; A likewise
        for (int q = 0; q < p; q++) {
            binv[q][j] /= piv;
        }
        for (int i = 0; i < n; i++) {
            aj[i] /= piv;
        }
        for (int l = 0; l < p; l++) {
            if (l == j) {
                continue;
            }
            double f = rowK[l];
            if (f == 0) {
                continue;
            }
            for (int q = 0; q < p; q++) {
                binv[q][l] -= f * binv[q][j];
            }
            double[] al = a[l];
            for (int i = 0; i < n; i++) {
                al[i] -= f * aj[i];
            }
        }
        inBasis[leaving] = false;
        inBasis[k] = true;
        basis[j] = k;
        for (int q = 0; q < p; q++) { // exact by definition: x_h(q) . z_l = delta_ql, residual 0
            r[basis[q]] = 0;
            for (int l = 0; l < p; l++) {
                a[l][basis[q]] = q == l ? 1 : 0;
            }
        }
    }

    /** X_h^-1 (Gauss-Jordan, partial pivoting), then b, the tableau and the residuals from scratch. */
    private void factor() {
        double[][] xh = new double[p][];
        for (int j = 0; j < p; j++) {
            xh[j] = x[basis[j]];
        }
        binv = invert(xh);
        coef = new double[p];
        for (int l = 0; l < p; l++) {
            double v = 0;
            for (int j = 0; j < p; j++) {
                v += binv[l][j] * y[basis[j]];
            }
            coef[l] = v;
        }
        for (int i = 0; i < n; i++) {
            double[] xi = x[i];
            double fitted = 0;
            for (int l = 0; l < p; l++) {
                fitted += xi[l] * coef[l];
            }
            r[i] = y[i] - fitted;
            for (int j = 0; j < p; j++) {
                double v = 0;
                for (int l = 0; l < p; l++) {
                    v += xi[l] * binv[l][j];
                }
                a[j][i] = v;
            }
        }
        for (int q = 0; q < p; q++) { // exact by definition
            r[basis[q]] = 0;
            for (int l = 0; l < p; l++) {
                a[l][basis[q]] = q == l ? 1 : 0;
            }
        }
        pivotsSinceFactor = 0;
    }

    /**
     * The vertex on the unperturbed y: b = X_h^-1 y_h, objective, and the dual certificate with the
     * unperturbed residual signs (a residual that is 0 up to rounding takes the sign the perturbed
     * problem gave it, which is one valid choice in [tau - 1, tau]).
     */
    private Fit finish(double tau, int pivots) {
        double[] b = new double[p];
        for (int l = 0; l < p; l++) {
            double v = 0;
            for (int j = 0; j < p; j++) {
                v += binv[l][j] * yOrig[basis[j]];
            }
            b[l] = v;
        }
        double objective = 0;
        double yScale = 0;
        double[] cc = new double[p];
        double[] scale = new double[p];
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            res[i] = yOrig[i] - fitted(i, b);
            yScale = Math.max(yScale, Math.abs(yOrig[i]));
        }
        double zero = 1e-12 * (yScale + 1);
        for (int i = 0; i < n; i++) {
            double ri = res[i];
            objective += ri * (ri < 0 ? tau - 1 : tau);
            if (inBasis[i]) {
                continue;
            }
            double sign = Math.abs(ri) <= zero ? r[i] : ri;
            double psi = sign > 0 ? tau : (sign < 0 ? tau - 1 : 0);
            for (int j = 0; j < p; j++) {
                cc[j] += psi * a[j][i];
                scale[j] += Math.abs(a[j][i]);
            }
        }
        boolean certified = true;
        for (int j = 0; j < p; j++) {
            double tol = 1e-9 * (scale[j] + 1);
            if ((1 - tau) - cc[j] < -tol || tau + cc[j] < -tol) {
                certified = false;
            }
        }
        int[] h = basis.clone();
        return new Fit(tau, b, h, objective, pivots, certified);
    }

    /** Row i of x times coefficients b. */
    private double fitted(int i, double[] b) {
        double f = 0;
        for (int l = 0; l < p; l++) {
            f += x[i][l] * b[l];
        }
        return f;
    }

    /**
     * A starting vertex for tau: the p observations nearest the least-squares fit shifted to the
     * tau-quantile of its residuals whose rows are well independent (greedy Gram-Schmidt).
     */
    private int[] initialBasis(double tau) {
        double[] ls = leastSquares();
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = y[i] - fitted(i, ls);
        }
        double[] sorted = e.clone();
        Arrays.sort(sorted);
        double shift = NaturalSpline.quantileType7(sorted, tau);
        for (double threshold : new double[] {1e-3, 1e-6, 1e-10}) {
            for (int i = 0; i < n; i++) {
                heapT[i] = Math.abs(e[i] - shift);
                heapI[i] = i;
            }
            int[] chosen = greedyIndependent(threshold);
            if (chosen != null) {
                return chosen;
            }
        }
        throw new IllegalArgumentException("design has rank < " + p + " (collinear columns)");
    }

    /** The first p observations in heap order (nearest first) whose rows are independent enough. */
    private int[] greedyIndependent(double threshold) {
        double[][] q = new double[p][];
        int[] chosen = new int[p];
        int k = 0;
        int m = n;
        for (int h = m / 2 - 1; h >= 0; h--) {
            siftDown(h, m);
        }
        while (m > 0 && k < p) {
            int i = heapI[0];
            m--;
            heapT[0] = heapT[m];
            heapI[0] = heapI[m];
            siftDown(0, m);
            double[] v = x[i].clone();
            double norm0 = norm(v);
            if (norm0 == 0) {
                continue;
            }
            for (int u = 0; u < k; u++) {
                double d = dot(q[u], v);
                for (int l = 0; l < p; l++) {
                    v[l] -= d * q[u][l];
                }
            }
            double nv = norm(v);
            if (nv > threshold * norm0) {
                for (int l = 0; l < p; l++) {
                    v[l] /= nv;
                }
                q[k] = v;
                chosen[k++] = i;
            }
        }
        return k == p ? chosen : null;
    }

    /** Least squares by the normal equations on column-scaled X (only a starting point). */
    private double[] leastSquares() {
        double[][] xtx = new double[p][p];
        double[] xty = new double[p];
        for (int i = 0; i < n; i++) {
            double[] xi = x[i];
            for (int l = 0; l < p; l++) {
                xty[l] += xi[l] * y[i];
                for (int m = l; m < p; m++) {
                    xtx[l][m] += xi[l] * xi[m];
                }
            }
        }
        for (int l = 0; l < p; l++) {
            for (int m = 0; m < l; m++) {
                xtx[l][m] = xtx[m][l];
            }
            xtx[l][l] *= 1 + 1e-12; // a whisker of ridge: only a starting point
        }
        double[][] inv = invert(xtx);
        double[] b = new double[p];
        for (int l = 0; l < p; l++) {
            for (int m = 0; m < p; m++) {
                b[l] += inv[l][m] * xty[m];
            }
        }
        return b;
    }

    /** Inverse of a small square matrix (rows given) by Gauss-Jordan with partial pivoting. */
    static double[][] invert(double[][] m) {
        int k = m.length;
        double[][] w = new double[k][2 * k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(m[i], 0, w[i], 0, k);
            w[i][k + i] = 1;
        }
        for (int col = 0; col < k; col++) {
            int piv = col;
            for (int i = col + 1; i < k; i++) {
                if (Math.abs(w[i][col]) > Math.abs(w[piv][col])) {
                    piv = i;
                }
            }
            if (w[piv][col] == 0) {
                throw new IllegalArgumentException("singular basis matrix");
            }
            double[] tmp = w[col];
            w[col] = w[piv];
            w[piv] = tmp;
            double d = w[col][col];
            for (int c = 0; c < 2 * k; c++) {
                w[col][c] /= d;
            }
            for (int i = 0; i < k; i++) {
                if (i != col && w[i][col] != 0) {
                    double f = w[i][col];
                    for (int c = 0; c < 2 * k; c++) {
                        w[i][c] -= f * w[col][c];
                    }
                }
            }
        }
        double[][] inv = new double[k][k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(w[i], k, inv[i], 0, k);
        }
        return inv;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }
}
