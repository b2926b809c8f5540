package io.ctcohort.analytics.centiles;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration on synthetic cohorts whose true centile curves are known: value = mu(age) +
 * sigma(age) * e with a skewed e (standardized gamma, shape 2: skewness 1.41) and sigma growing (volume-
 * like) or shrinking (HU-like, e mirrored: left-skewed) with age; mu is curved (a peak in mid-life).
 * Whole-year ages 18-95 (ties, as in real cohorts), fixed seeds. Fitted on 20 000 exams (df 4, the
 * default options: 95 grid quantiles 3-97 %), large enough that sampling noise does not hide a bias:
 * <ul>
 *   <li>a fresh sample of 100 000 exams from the same model (another seed): the share below each fitted
 *       centile within 1.5 points of nominal (measured: within 0.5), and within 2 points in each of the
 *       youngest, middle and oldest third of ages (measured: within 1.4);</li>
 *   <li>the fitted (rearranged) curves against the true ones over ages 20-93: max |error| within 0.20
 *       sigma(age) for the 10th-90th, 0.25 sigma(age) for the 3rd and 97th centile (measured: 0.125 and
 *       0.146); the true curves are quadratic in age, which a natural spline with 3 interior knots only
 *       approximates;</li>
 *   <li>the z-scores of the fresh sample: mean within 0.05 of 0, SD within 0.05 of 1, 5 +- 1 % beyond
 *       +-1.96.</li>
 * </ul>
 */
class CentileCalibrationTest {
    private static final int TRAIN = 20_000;
    private static final int FRESH = 100_000;
    private static final double SHAPE = 2.0;
    /** Points; a third of the training cohort has ~6700 exams: ~0.8 points sampling SD at the median. */
    private static final double THIRD_TOLERANCE = 2.0;
    private static final GammaDistribution GAMMA = new GammaDistribution(null, SHAPE, 1.0);

    /** A cohort model: mu, sigma and the sign of the skew. */
    private record Model(String name, double mu0, double slope, double curvature, double sigma0, double sigmaSlope,
                         boolean leftSkew) {
        double mu(double age) {
            double d = age - 50;
            return mu0 + slope * d - curvature * d * d;
        }

        double sigma(double age) {
            return sigma0 + sigmaSlope * (age - 18);
        }

        /** The true tau-quantile at this age. */
        double quantile(double age, double tau) {
            double e = leftSkew ? -standardGamma(1 - tau) : standardGamma(tau);
            return mu(age) + sigma(age) * e;
        }

        static double standardGamma(double tau) {
            return (GAMMA.inverseCumulativeProbability(tau) - SHAPE) / Math.sqrt(SHAPE);
        }

        Sample draw(int n, long seed) {
            Well19937c rnd = new Well19937c(seed);
            GammaDistribution g = new GammaDistribution(rnd, SHAPE, 1.0);
            double[] age = new double[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                age[i] = 18 + rnd.nextInt(78);
                double e = (g.sample() - SHAPE) / Math.sqrt(SHAPE);
                v[i] = mu(age[i]) + sigma(age[i]) * (leftSkew ? -e : e);
            }
            return new Sample(age, v);
        }
    }

    private record Sample(double[] age, double[] value) {
    }

    private static final Model VOLUME = new Model("volume-like (right skew, SD grows with age)",
            1500, 4, 0.25, 120, 3, false);
    private static final Model HU = new Model("HU-like (left skew, SD shrinks with age)",
            60, -0.3, 0.004, 14, -0.08, true);

    @Test
    void volumeLikeCohortIsCalibrated() {
        check(VOLUME, 11);
    }

    @Test
    void huLikeCohortIsCalibrated() {
        check(HU, 12);
    }

    private static void check(Model model, long seed) {
        Sample train = model.draw(TRAIN, seed);
        CentileOptions options = CentileOptions.defaults();
        long t0 = System.nanoTime();
        CentileCurves curves = CentileCurves.fit(train.age(), train.value(), options);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        double[] centiles = curves.centiles();
        assertTrue(curves.fitted(), curves.reason());

        Sample fresh = model.draw(FRESH, seed + 1000);
        int k = centiles.length;
        long[] below = new long[k];
        long[][] belowByThird = new long[3][k];
        long[] byThird = new long[3];
        double sumZ = 0;
        double sumZ2 = 0;
        long beyond196 = 0;
        for (int i = 0; i < FRESH; i++) {
            double a = fresh.age()[i];
            double v = fresh.value()[i];
            double[] q = curves.quantiles(a);
            double[] c = curves.centileValues(a);
            int third = a < 44 ? 0 : (a < 70 ? 1 : 2);
            byThird[third]++;
            for (int j = 0; j < k; j++) {
                if (v < c[j]) {
                    below[j]++;
                    belowByThird[third][j]++;
                }
            }
            double z = curves.score(q, v).z();
            sumZ += z;
            sumZ2 += z * z;
            if (Math.abs(z) > 1.96) {
                beyond196++;
            }
        }
        java.util.List<String> failures = new java.util.ArrayList<>();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "calibration, %s: fitted %d exams (%d grid quantiles, %d pivots) in %d ms; fresh sample %d%n",
                model.name(), TRAIN, curves.gridTaus().length, curves.pivots(), ms, FRESH));
        report.append("  centile  below(all)  youngest  middle  oldest   max|fit-true|/sigma (ages 20-93)\n");
        for (int j = 0; j < k; j++) {
            double share = 100.0 * below[j] / FRESH;
            double worst = 0;
            for (int age = 20; age <= 93; age++) {
                double err = Math.abs(curves.centileValues(age)[j] - model.quantile(age, centiles[j] / 100)) / model.sigma(age);
                worst = Math.max(worst, err);
            }
            report.append(String.format(Locale.ROOT, "  %5.0f    %7.2f   %8.2f  %6.2f  %6.2f   %.3f%n", centiles[j], share,
                    100.0 * belowByThird[0][j] / byThird[0], 100.0 * belowByThird[1][j] / byThird[1],
                    100.0 * belowByThird[2][j] / byThird[2], worst));
            if (Math.abs(share - centiles[j]) > 1.5) {
                failures.add("share below the " + centiles[j] + "th centile " + share);
            }
            for (int t = 0; t < 3; t++) {
                double s3 = 100.0 * belowByThird[t][j] / byThird[t];
                if (Math.abs(s3 - centiles[j]) > THIRD_TOLERANCE) {
                    failures.add("share below the " + centiles[j] + "th centile in age third " + t + ": " + s3);
                }
            }
            double tolerance = (centiles[j] < 10 || centiles[j] > 90) ? 0.25 : 0.20;
            if (worst > tolerance) {
                failures.add("centile " + centiles[j] + " off the true curve by " + worst + " sigma");
            }
        }
        double meanZ = sumZ / FRESH;
        double sdZ = Math.sqrt(sumZ2 / FRESH - meanZ * meanZ);
        double share196 = 100.0 * beyond196 / FRESH;
        report.append(String.format(Locale.ROOT, "  z of the fresh sample: mean %.3f, SD %.3f, %.2f %% beyond +-1.96%n",
                meanZ, sdZ, share196));
        System.out.print(report);
        assertTrue(failures.isEmpty(), model.name() + ": " + failures);
        assertEquals(0, meanZ, 0.05, "mean z");
        assertEquals(1, sdZ, 0.05, "SD of z");
        assertEquals(5, share196, 1.0, "share beyond +-1.96");
    }
}
