package io.ctcohort.analytics.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Multiple-testing corrections as statsmodels.stats.multitest.multipletests computes them
 * ('bonferroni', 'fdr_bh'). NaN p-values stay NaN and do not count towards the number of tests m.
 */
public final class MultipleTesting {
    private MultipleTesting() {
    }

    /** min(1, p * m). */
    public static double[] bonferroni(double[] p) {
        int m = countFinite(p);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Double.isNaN(p[i]) ? Double.NaN : Math.min(1.0, p[i] * m);
        }
        return out;
    }

    /** Benjamini-Hochberg q-values: q_(i) = min over j >= i of p_(j) * m / j, capped at 1. */
    public static double[] benjaminiHochberg(double[] p) {
        int[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).mapToInt(Integer::intValue).toArray();
        int m = order.length;
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = Double.POSITIVE_INFINITY;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            out[i] = Math.min(1.0, running);
        }
        return out;
    }

    private static int countFinite(double[] p) {
        int m = 0;
        for (double d : p) {
            if (!Double.isNaN(d)) {
                m++;
            }
        }
        return m;
    }
}
