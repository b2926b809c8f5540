package io.ctcohort.analytics.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.stats.OlsAgeFit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Coverage of the calibrated 95 % interval by simulation. Each replicate is a small study: the true
 * metric {@code Y = 100 + beta x age + N(0, sdY)}, the model's {@code Y* = a + b x Y + c x (age - 55) +
 * N(0, sdE)} with b != 1 (c != 0: the error depends on age given the truth, differential error); the
 * study fits Y* on age over every exam, the first {@code nVal} exams (inside the cohort, as in
 * practice) carry references and calibrate, by the conditional model (Y* on Y and age) or the
 * reference-only one (Y* on Y). The interval should cover the true beta in about 95 % of replicates;
 * 200 replicates give a binomial SD of 1.5 points, so 92-98 % is the band.
 */
class CalibrationCoverageTest {
    static final int REPLICATES = 200;

    /** One simulated design. */
    record Design(int n, int nVal, double beta, double a, double b, double c, double sdY, double sdE) {
        /** Non-differential error: c = 0. */
        Design(int n, int nVal, double beta, double a, double b, double sdY, double sdE) {
            this(n, nVal, beta, a, b, 0, sdY, sdE);
        }
    }

    /** Coverage of the true beta by the calibrated and the raw intervals, over the replicates. */
    record Coverage(double calibrated, double raw, int notCalibrated) {
    }

    static Coverage coverage(Design d, long seed) {
        return coverage(d, seed, CalibrationModel.CONDITIONAL);
    }

    static Coverage coverage(Design d, long seed, CalibrationModel fitted) {
        return coverage(d, seed, fitted, 0);
    }

    /** @param bootstrap resamples of a bootstrap interval; 0: the delta method */
    static Coverage coverage(Design d, long seed, CalibrationModel fitted, int bootstrap) {
        SplittableRandom rng = new SplittableRandom(seed);
        RegressionCalibration calibration = new RegressionCalibration(CalibrationOptions.defaults()
                .withMinValidationExams(Math.min(20, d.nVal())));
        int covered = 0;
        int rawCovered = 0;
        int failed = 0;
        for (int r = 0; r < REPLICATES; r++) {
            double[] age = new double[d.n()];
            double[] truth = new double[d.n()];
            double[] model = new double[d.n()];
            double[][] x = new double[d.n()][1];
            for (int i = 0; i < d.n(); i++) {
                age[i] = 20 + 70 * rng.nextDouble();
                x[i][0] = age[i];
                truth[i] = 100 + d.beta() * age[i] + d.sdY() * rng.nextGaussian();
                model[i] = d.a() + d.b() * truth[i] + d.c() * (age[i] - 55) + d.sdE() * rng.nextGaussian();
            }
            OlsAgeFit.Result study = OlsAgeFit.fit(model, x);
            double[] vm = java.util.Arrays.copyOf(model, d.nVal());
            double[] vr = java.util.Arrays.copyOf(truth, d.nVal());
            double[][] va = java.util.Arrays.copyOf(x, d.nVal());
            CalibrationFit fit = fitted == CalibrationModel.CONDITIONAL ? CalibrationFit.fit(vm, vr, va)
                    : CalibrationFit.fit(vm, vr);
            CalibratedEffect c = bootstrap == 0 ? calibration.calibrate(study, d.n() - 2, fit)
                    : calibration.calibrate(study, d.n() - 2, fit, BootstrapCalibration.draws(new CalibrationData(vm, vr,
                    fitted == CalibrationModel.CONDITIONAL ? va : null), bootstrap, seed + r), seed - r);
            if (!c.calibrated()) {
                failed++;
                continue;
            }
            covered += c.covers(d.beta()) ? 1 : 0;
            rawCovered += study.ciLow() <= d.beta() && d.beta() <= study.ciHigh() ? 1 : 0;
        }
        return new Coverage(covered / (double) REPLICATES, rawCovered / (double) REPLICATES, failed);
    }

    @Test
    void calibratedIntervalsCoverTheTrueSlopeNinetyFivePercentOfTheTime() {
        // a volume-like metric: model at 0.8 ml per true ml, 25 validation exams in a cohort of 150
        Coverage c = coverage(new Design(150, 25, -0.5, 5, 0.8, 10, 4), 20261206L);
        assertEquals(0, c.notCalibrated());
        assertTrue(c.calibrated() >= 0.92 && c.calibrated() <= 0.98, "calibrated coverage " + c.calibrated());
        assertTrue(c.raw() < 0.5, "the raw interval should miss the true slope, covered " + c.raw());
    }

    @Test
    void coverageHoldsWhereTheSlopesUncertaintyDominates() {
        // few validation exams and a noisy model: var(b) carries most of the interval
        Design d = new Design(400, 20, 1.2, -20, 1.3, 15, 12);
        Coverage c = coverage(d, 7L, CalibrationModel.REFERENCE_ONLY);
        assertEquals(0, c.notCalibrated());
        assertTrue(c.calibrated() >= 0.92 && c.calibrated() <= 0.98, "calibrated coverage " + c.calibrated());
        // the conditional model spends a df on age and widens b's interval: now and then it reaches 0 (counted as a miss)
        Coverage conditional = coverage(d, 7L);
        assertTrue(conditional.notCalibrated() <= REPLICATES / 50, "not calibrated " + conditional.notCalibrated());
        assertTrue(conditional.calibrated() >= 0.92 && conditional.calibrated() <= 0.98,
                "calibrated coverage " + conditional.calibrated());
    }

    @Test
    void theReferenceOnlyModelCoversWhereTheErrorIsNonDifferential() {
        Coverage c = coverage(new Design(150, 25, -0.5, 5, 0.8, 10, 4), 20261206L, CalibrationModel.REFERENCE_ONLY);
        assertEquals(0, c.notCalibrated());
        assertTrue(c.calibrated() >= 0.92 && c.calibrated() <= 0.98, "calibrated coverage " + c.calibrated());
    }

    @Test
    void errorThatDependsOnAgeIsCorrectedByTheConditionalModelOnly() {
        // like the demo's pancreas: at a fixed true value the model measures older exams larger (c > 0 against a
        // negative beta), so beta* = 0.85 x -0.5 + 0.15 = -0.275; on the reference alone b absorbs part of c
        // (about 0.76), and beta* / b = -0.36 while the truth is -0.5
        Design d = new Design(400, 40, -0.5, 5, 0.85, 0.15, 15, 3);
        Coverage conditional = coverage(d, 20261207L, CalibrationModel.CONDITIONAL);
        assertEquals(0, conditional.notCalibrated());
        assertTrue(conditional.calibrated() >= 0.92 && conditional.calibrated() <= 0.98,
                "conditional coverage " + conditional.calibrated());
        Coverage referenceOnly = coverage(d, 20261207L, CalibrationModel.REFERENCE_ONLY);
        assertTrue(referenceOnly.calibrated() < 0.5, "beta / b is biased here, covered " + referenceOnly.calibrated());
        assertTrue(conditional.raw() < 0.1, "the raw interval misses, covered " + conditional.raw());
    }

    @Test
    void theBootstrapIntervalCoversToo() {
        // 20 validation exams of a 200-exam cohort, error depending on age; 500 resamples per replicate
        Coverage c = coverage(new Design(200, 20, -0.5, 5, 0.85, 0.15, 15, 3), 99L, CalibrationModel.CONDITIONAL, 500);
        assertEquals(0, c.notCalibrated());
        assertTrue(c.calibrated() >= 0.92 && c.calibrated() <= 0.98, "bootstrap coverage " + c.calibrated());
    }
}
