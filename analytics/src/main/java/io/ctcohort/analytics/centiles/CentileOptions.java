package io.ctcohort.analytics.centiles;

import java.io.Serializable;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * What the centile charts fit, resolved once.
 *
 * @param enabled     fit centiles at all ({@code analyze --no-centiles} turns them off)
 * @param centiles    the reported centiles in percent, strictly inside (0, 100), increasing
 * @param splineDf    df of the natural cubic spline of age (R's ns(age, df)): df - 1 interior knots at
 *                    age quantiles; the design adds an intercept
 * @param minExams    fewest exams of a structure, metric and sex for a fit; 0 = the default rule
 *                    {@link #requiredExams()}
 * @param gridStep    spacing in percent of the dense quantile grid behind the rearrangement and the
 *                    exam scores (between the lowest and the highest reported centile)
 * @param ageSplineDf {@code analyze --age-spline DF}: add a natural spline of age with DF df to the
 *                    OLS and F-test it against the linear model; 0 = off
 */
public record CentileOptions(boolean enabled, double[] centiles, int splineDf, int minExams, double gridStep,
                             int ageSplineDf) implements Serializable {
    public static final double[] DEFAULT_CENTILES = {3, 10, 25, 50, 75, 90, 97};
    public static final int DEFAULT_SPLINE_DF = 4;
    public static final double DEFAULT_GRID_STEP = 1.0;
    /** The default minimum: this many exams expected beyond the outermost centile. */
    public static final int TAIL_EXAMS = 10;

    public CentileOptions {
        centiles = centiles.clone();
        if (centiles.length == 0) {
            throw new IllegalArgumentException("no centiles given");
        }
        for (int i = 0; i < centiles.length; i++) {
            if (!(centiles[i] > 0 && centiles[i] < 100) || (i > 0 && !(centiles[i] > centiles[i - 1]))) {
                throw new IllegalArgumentException("centiles must increase strictly inside (0, 100): "
                        + Arrays.toString(centiles));
            }
        }
        if (splineDf < 1) {
            throw new IllegalArgumentException("spline df must be >= 1, got " + splineDf);
        }
        if (minExams < 0) {
            throw new IllegalArgumentException("minimum exams must be >= 0, got " + minExams);
        }
        if (!(gridStep > 0 && gridStep <= 50)) {
            throw new IllegalArgumentException("grid step must lie in (0, 50] percent, got " + gridStep);
        }
        if (ageSplineDf == 1 || ageSplineDf < 0) {
            throw new IllegalArgumentException("age spline df must be >= 2 (1 would be the linear model), or 0 for off");
        }
    }

    @Override
    public double[] centiles() {
        return centiles.clone();
    }

    public static CentileOptions defaults() {
        return new CentileOptions(true, DEFAULT_CENTILES, DEFAULT_SPLINE_DF, 0, DEFAULT_GRID_STEP, 0);
    }

    public static CentileOptions off() {
        return new CentileOptions(false, DEFAULT_CENTILES, DEFAULT_SPLINE_DF, 0, DEFAULT_GRID_STEP, 0);
    }

    public CentileOptions withAgeSplineDf(int df) {
        return new CentileOptions(enabled, centiles, splineDf, minExams, gridStep, df);
    }

    /**
     * Fewest exams for a fit: {@code minExams} if set, else enough that {@value #TAIL_EXAMS} exams are
     * expected beyond the outermost centile (334 for the 3rd/97th), and always more than the design's
     * columns.
     */
    public int requiredExams() {
        if (minExams > 0) {
            return Math.max(minExams, splineDf + 2);
        }
        double tail = Math.min(centiles[0], 100 - centiles[centiles.length - 1]) / 100.0;
        return Math.max((int) Math.ceil(TAIL_EXAMS / tail - 1e-9), splineDf + 2);
    }

    /**
     * The quantiles fitted (as fractions): every {@code gridStep} percent from the lowest to the highest
     * reported centile, plus the reported ones; increasing.
     */
    public double[] gridTaus() {
        TreeSet<Double> grid = new TreeSet<>();
        double lo = centiles[0];
        double hi = centiles[centiles.length - 1];
        int steps = (int) Math.floor((hi - lo) / gridStep + 1e-9);
        for (int k = 0; k <= steps; k++) {
            grid.add(round(lo + k * gridStep));
        }
        for (double c : centiles) {
            grid.add(round(c));
        }
        return grid.stream().mapToDouble(c -> c / 100.0).toArray();
    }

    private static double round(double percent) {
        return Math.rint(percent * 1e9) / 1e9;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CentileOptions c && enabled == c.enabled && Arrays.equals(centiles, c.centiles)
                && splineDf == c.splineDf && minExams == c.minExams && gridStep == c.gridStep
                && ageSplineDf == c.ageSplineDf;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(centiles) * 31 + splineDf;
    }

    @Override
    public String toString() {
        return "CentileOptions[enabled=" + enabled + ", centiles=" + Arrays.toString(centiles) + ", splineDf="
                + splineDf + ", minExams=" + minExams + ", gridStep=" + gridStep + ", ageSplineDf=" + ageSplineDf + "]";
    }
}
