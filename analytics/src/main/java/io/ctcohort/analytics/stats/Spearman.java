package io.ctcohort.analytics.stats;

import java.util.Arrays;

/**
 * Spearman's rank correlation as scipy.stats.spearmanr computes it: Pearson correlation of the
 * average ranks (ties share their mean rank), two-sided p from Student's t with n - 2 df,
 * {@code t = rho * sqrt(df / ((rho + 1) * (1 - rho)))}.
 */
public final class Spearman {

    /** rho and p; both NaN with a reason when not estimable. */
    public record Result(double rho, double p, String reason) {
    }

    private Spearman() {
    }

    public static Result compute(double[] x, double[] y) {
        if (x.length < 3) {
            return new Result(Double.NaN, Double.NaN, "n < 3");
        }
        return fromRanks(ranks(x), ranks(y));
    }

    /** As {@link #compute} on values whose {@link #ranks} are given (a ranking shared by several fits). */
    public static Result fromRanks(double[] xRanks, double[] yRanks) {
        int n = xRanks.length;
        if (n < 3) {
            return new Result(Double.NaN, Double.NaN, "n < 3");
        }
        double rho = Pearson.correlation(xRanks, yRanks);
        if (Double.isNaN(rho)) {
            return new Result(Double.NaN, Double.NaN, "constant variable");
        }
        double df = n - 2;
        double t = rho * Math.sqrt(Math.max(0.0, df / ((rho + 1.0) * (1.0 - rho))));
        double p = Math.abs(rho) == 1.0 ? 0.0 : StudentT.twoSidedP(t, df);
        return new Result(rho, p, null);
    }

    /**
     * Average ranks, 1-based: a value's rank is the mean of the positions its ties occupy in sorted
     * order (scipy's rankdata 'average', Commons Math's NaturalRanking AVERAGE; the same numbers, which
     * are integers or halves and so exact). Values are ordered as {@link Double#compare} orders them;
     * the caller passes no NaN. A primitive sort and two binary searches per value, no boxing.
     */
    public static double[] ranks(double[] x) {
        int n = x.length;
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double v = x[i];
            int lo = first(sorted, v);
            int hi = last(sorted, v, lo);
            out[i] = (lo + hi + 2) / 2.0;
        }
        return out;
    }

    /**
     * The tie groups of one variable over a set of subjects, for the average ranks of any subset of
     * them without sorting again: each finite value's group is its first position in the sorted
     * values; a subset's rank of a value is (number of subset members in earlier groups) + (its
     * group's members in the subset + 1) / 2, the same number {@link #ranks} gives for the subset alone.
     */
    public static final class TieGroups {
        private final int size;
        private final int[] group; // per subject: first position of its value in sorted order; -1 if not finite

        public TieGroups(double[] values) {
            int n = values.length;
            double[] sorted = new double[n];
            int m = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    sorted[m++] = v;
                }
            }
            sorted = Arrays.copyOf(sorted, m);
            Arrays.sort(sorted);
            size = m;
            group = new int[n];
            for (int i = 0; i < n; i++) {
                group[i] = Double.isFinite(values[i]) ? first(sorted, values[i]) : -1;
            }
        }

        /** Average ranks within the subset {@code idx} (positions of subjects with finite values), in its order. */
        public double[] ranks(int[] idx) {
            int[] count = new int[size];
            for (int i : idx) {
                count[group[i]]++;
            }
            int[] before = new int[size];
            int running = 0;
            for (int g = 0; g < size; g++) {
                if (count[g] > 0) {
                    before[g] = running;
                    running += count[g];
                }
            }
            double[] out = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                int g = group[idx[j]];
                out[j] = (2 * before[g] + count[g] + 1) / 2.0;
            }
            return out;
        }
    }

    /** Leftmost position of v in sorted. */
    private static int first(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length; // answer in [lo, hi)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(sorted[mid], v) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Rightmost position of v in sorted, at or after {@code from}. */
    private static int last(double[] sorted, double v, int from) {
        int lo = from;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(sorted[mid], v) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
