package io.ctcohort.analytics.calibration;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * The bootstrap interval of a calibrated age effect ({@code --calibration-interval bootstrap}): the
 * validation exams are resampled with replacement (Efron and Tibshirani 1993, <i>An Introduction to
 * the Bootstrap</i>, ch. 9, bootstrapping pairs) and the calibration refitted on each resample, giving
 * (b_r, c_r); the study's slope, estimated on the whole cohort, is drawn as
 * {@code beta_age + se_age x T_r}, T_r Student's t on the study's df (its sampling distribution: the
 * cohort is not resampled); the interval is the 2.5th and 97.5th percentiles of
 * {@code (beta_age + se_age T_r - c_r) / b_r}. It needs no delta-method linearisation of the ratio,
 * so it follows the skew of 1 / b where b is uncertain. Resamples where the calibration is not
 * estimable (a phase or sex drawn out) are left out; more than 5 % of them refuse the interval.
 */
public final class BootstrapCalibration {
    /** The share of resamples that may fail to be estimable before the interval is refused. */
    static final double MAX_FAILED = 0.05;

    private BootstrapCalibration() {
    }

    /** The calibration refitted on resamples: slopes b_r, age coefficients c_r, and how many failed. */
    public record Draws(double[] slope, double[] ageCoefficient, int failed, int replicates) {
        public boolean usable() {
            return failed <= MAX_FAILED * replicates && slope.length > 0;
        }
    }

    public static Draws draws(CalibrationData data, int replicates, long seed) {
        Well19937c rng = new Well19937c(seed);
        int n = data.n();
        double[] b = new double[replicates];
        double[] c = new double[replicates];
        int ok = 0;
        int[] rows = new int[n];
        for (int r = 0; r < replicates; r++) {
            for (int i = 0; i < n; i++) {
                rows[i] = rng.nextInt(n);
            }
            CalibrationFit fit = data.resample(rows).fit();
            if (fit.estimable()) {
                b[ok] = fit.slope();
                c[ok] = fit.ageCoefficient();
                ok++;
            }
        }
        return new Draws(Arrays.copyOf(b, ok), Arrays.copyOf(c, ok), replicates - ok, replicates);
    }

    /**
     * The percentile interval {low, high} of the calibrated slope, and the SD of its draws.
     *
     * @param seed the study-side draws' seed
     */
    static double[] interval(double betaAge, double seAge, double studyDf, Draws draws, double confidence, long seed) {
        TDistribution t = new TDistribution(new Well19937c(seed), studyDf);
        int m = draws.slope().length;
        double[] beta = new double[m];
        double mean = 0;
        for (int r = 0; r < m; r++) {
            beta[r] = (betaAge + seAge * t.sample() - draws.ageCoefficient()[r]) / draws.slope()[r];
            mean += beta[r] / m;
        }
        double ss = 0;
        for (double v : beta) {
            ss += (v - mean) * (v - mean);
        }
        Arrays.sort(beta);
        double alpha = (1 - confidence) / 2;
        return new double[] {percentile(beta, alpha), percentile(beta, 1 - alpha), Math.sqrt(ss / (m - 1))};
    }

    /** numpy.percentile's default ('linear') on sorted values, q in [0, 1]. */
    static double percentile(double[] sorted, double q) {
        double pos = (sorted.length - 1) * q;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
