package io.ctcohort.analytics.report;

import org.apache.commons.math3.analysis.interpolation.LoessInterpolator;
import org.apache.commons.math3.exception.MathIllegalArgumentException;

import java.util.Map;
import java.util.TreeMap;

/**
 * A LOESS curve of y over age for the scatter plots (Commons Math LoessInterpolator). Ages are
 * whole years with many ties, and LoessInterpolator needs strictly increasing x: points sharing an
 * age collapse into their mean with weight = their count, which gives the same local weighted
 * least-squares fit as the tied points would.
 */
final class Loess {
    /** Fraction of the distinct ages in each local fit (LOESS span). */
    private static final double BANDWIDTH = 0.4;

    private Loess() {
    }

    /** {x[], yhat[]} at the distinct ages, or null when too few distinct ages for a curve. */
    static double[][] curve(double[] x, double[] y) {
        TreeMap<Double, double[]> byAge = new TreeMap<>();
        for (int i = 0; i < x.length; i++) {
            double[] acc = byAge.computeIfAbsent(x[i], k -> new double[2]);
            acc[0] += y[i];
            acc[1] += 1;
        }
        int n = byAge.size();
        if (n < 5) {
            return null;
        }
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] w = new double[n];
        int i = 0;
        for (Map.Entry<Double, double[]> e : byAge.entrySet()) {
            ux[i] = e.getKey();
            uy[i] = e.getValue()[0] / e.getValue()[1];
            w[i] = e.getValue()[1];
            i++;
        }
        double bandwidth = Math.min(1.0, Math.max(BANDWIDTH, 4.0 / n));
        try {
            double[] fit = new LoessInterpolator(bandwidth, 2).smooth(ux, uy, w);
            for (double f : fit) {
                if (!Double.isFinite(f)) {
                    return null;
                }
            }
            return new double[][] {ux, fit};
        } catch (MathIllegalArgumentException e) {
            return null; // degenerate neighbourhood: no curve rather than no report
        }
    }
}
