package io.ctcohort.analytics.stats;

import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Spearman's rank correlation as scipy.stats.spearmanr computes it: Pearson correlation of the
 * average ranks (ties share their mean rank), two-sided p from Student's t with n - 2 df,
 * {@code t = rho * sqrt(df / ((rho + 1) * (1 - rho)))}.
 */
public final class Spearman {
    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    /** rho and p; both NaN with a reason when not estimable. */
    public record Result(double rho, double p, String reason) {
    }

    private Spearman() {
    }

    public static Result compute(double[] x, double[] y) {
        int n = x.length;
        if (n < 3) {
            return new Result(Double.NaN, Double.NaN, "n < 3");
        }
        double rho = Pearson.correlation(RANKING.rank(x), RANKING.rank(y));
        if (Double.isNaN(rho)) {
            return new Result(Double.NaN, Double.NaN, "constant variable");
        }
        double df = n - 2;
        double t = rho * Math.sqrt(Math.max(0.0, df / ((rho + 1.0) * (1.0 - rho))));
        double p = Math.abs(rho) == 1.0 ? 0.0 : StudentT.twoSidedP(t, df);
        return new Result(rho, p, null);
    }
}
