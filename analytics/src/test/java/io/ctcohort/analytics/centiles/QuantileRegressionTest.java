package io.ctcohort.analytics.centiles;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simplex against the definition: on small problems every vertex (every p-subset of the
 * observations) is enumerated and the solver must reach the smallest objective among them (the LP
 * optimum is attained at a vertex), cold and warm, with and without heavy ties.
 */
class QuantileRegressionTest {
    private static final double[] TAUS = {0.03, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97};

    @Test
    void reachesTheBestVertexOnSmallProblems() {
        SplittableRandom rnd = new SplittableRandom(7);
        int problems = 0;
        for (int trial = 0; trial < 60; trial++) {
            int n = 9 + rnd.nextInt(8);
            boolean ties = trial % 3 == 0; // integer x and y rounded to 1: many equal rows and residuals 0
            double[][] x = new double[n][];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double age = ties ? rnd.nextInt(5) : rnd.nextDouble() * 4;
                x[i] = new double[] {1, age, age * age / 4};
                double v = 3 + 0.5 * age + Math.exp(rnd.nextGaussian()) * (1 + age / 3);
                y[i] = ties ? Math.rint(v) : v;
            }
            if (rank(x) < 3) {
                continue;
            }
            QuantileRegression warm = new QuantileRegression(x, y);
            for (double tau : TAUS) {
                double best = bruteForce(x, y, tau);
                QuantileRegression.Fit w = warm.solve(tau);
                QuantileRegression.Fit c = new QuantileRegression(x, y).solveCold(tau);
                assertEquals(best, w.objective(), 1e-10 * (1 + best), "warm, trial " + trial + " tau " + tau);
                assertEquals(best, c.objective(), 1e-10 * (1 + best), "cold, trial " + trial + " tau " + tau);
                assertTrue(w.certified() && c.certified(), "certificate, trial " + trial + " tau " + tau);
                problems++;
            }
        }
        assertTrue(problems > 300, "problems checked: " + problems);
    }

    @Test
    void interceptOnlyIsTheSampleQuantile() {
        double[] y = {5, 1, 9, 3, 7, 2, 8};
        double[][] x = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            x[i] = new double[] {1};
        }
        QuantileRegression qr = new QuantileRegression(x, y);
        assertEquals(5.0, qr.solve(0.5).coefficients()[0], 1e-12); // odd n: the unique median
        assertEquals(2.0, qr.solve(0.2).coefficients()[0], 1e-12); // n tau = 1.4: the 2nd smallest
        assertEquals(8.0, qr.solve(0.8).coefficients()[0], 1e-12);
    }

    @Test
    void refusesBadInput() {
        double[][] x = {{1, 0}, {1, 0}, {1, 0}};
        assertThrows(IllegalArgumentException.class, () -> new QuantileRegression(x, new double[] {1, 2, 3}).solve(0.5));
        double[][] ok = {{1, 0}, {1, 1}, {1, 2}};
        assertThrows(IllegalArgumentException.class, () -> new QuantileRegression(ok, new double[] {1, 2, 3}).solve(1.0));
        assertThrows(IllegalArgumentException.class, () -> new QuantileRegression(ok, new double[] {1, Double.NaN, 3}));
    }

    /** min over all non-singular p-subsets h of the objective at b = X_h^-1 y_h. */
    static double bruteForce(double[][] x, double[] y, double tau) {
        int n = y.length;
        int p = x[0].length;
        int[] idx = new int[p];
        for (int i = 0; i < p; i++) {
            idx[i] = i;
        }
        double best = Double.POSITIVE_INFINITY;
        while (true) {
            double[][] xh = new double[p][];
            double[] yh = new double[p];
            for (int j = 0; j < p; j++) {
                xh[j] = x[idx[j]];
                yh[j] = y[idx[j]];
            }
            if (Math.abs(det(xh)) > 1e-9) {
                double[][] inv = QuantileRegression.invert(xh);
                double[] b = new double[p];
                for (int l = 0; l < p; l++) {
                    for (int j = 0; j < p; j++) {
                        b[l] += inv[l][j] * yh[j];
                    }
                }
                double obj = 0;
                for (int i = 0; i < n; i++) {
                    double f = 0;
                    for (int l = 0; l < p; l++) {
                        f += x[i][l] * b[l];
                    }
                    double u = y[i] - f;
                    obj += u * (u < 0 ? tau - 1 : tau);
                }
                best = Math.min(best, obj);
            }
            int k = p - 1;
            while (k >= 0 && idx[k] == n - p + k) {
                k--;
            }
            if (k < 0) {
                return best;
            }
            idx[k]++;
            for (int j = k + 1; j < p; j++) {
                idx[j] = idx[j - 1] + 1;
            }
        }
    }

    /** By commons-math's LU decomposition: an oracle apart from the solver's own Gauss-Jordan. */
    private static double det(double[][] m) {
        return new LUDecomposition(new Array2DRowRealMatrix(m)).getDeterminant();
    }

    private static int rank(double[][] x) {
        int p = x[0].length;
        double[][] xtx = new double[p][p];
        for (double[] row : x) {
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    xtx[a][b] += row[a] * row[b];
                }
            }
        }
        return Math.abs(det(xtx)) > 1e-6 ? p : p - 1;
    }

    static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }
}
