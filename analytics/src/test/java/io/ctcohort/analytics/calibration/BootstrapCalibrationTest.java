package io.ctcohort.analytics.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bootstrap's resamples and percentiles on inputs whose answer is known. */
class BootstrapCalibrationTest {

    @Test
    void aResampleDropsTheIndicatorOfAPhaseItDrewNoExamOf() {
        double[][] x = {{30, 1}, {40, 0}, {50, 0}, {60, 0}};
        CalibrationData d = new CalibrationData(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, x);
        CalibrationData without = d.resample(new int[] {1, 2, 3, 3});
        assertEquals(1, without.covariates()[0].length);
        assertArrayEquals(new double[] {60}, without.covariates()[3]);
        assertArrayEquals(new double[] {2, 3, 4, 4}, without.model());
        CalibrationData with = d.resample(new int[] {0, 2, 3, 3});
        assertArrayEquals(new double[] {30, 1}, with.covariates()[0]);
        // age stays even where it is constant: the fit then says why it cannot be estimated
        assertEquals(1, d.resample(new int[] {1, 1, 1, 1}).covariates()[0].length);
    }

    @Test
    void rareCategoriesDoNotMakeResamplesFail() {
        // 20 exams, one of them the only arterial one: about 36 % of resamples lack it
        SplittableRandom rng = new SplittableRandom(4);
        double[] model = new double[20];
        double[] ref = new double[20];
        double[][] x = new double[20][];
        for (int i = 0; i < 20; i++) {
            double age = 20 + 70 * rng.nextDouble();
            ref[i] = 100 - 0.5 * age + 10 * rng.nextGaussian();
            x[i] = new double[] {age, i == 0 ? 1 : 0};
            model[i] = 3 + 0.9 * ref[i] + 0.1 * age + (i == 0 ? 20 : 0) + rng.nextGaussian();
        }
        BootstrapCalibration.Draws draws = BootstrapCalibration.draws(new CalibrationData(model, ref, x), 1000, 5);
        assertEquals(0, draws.failed());
        assertTrue(draws.usable());
        assertEquals(1000, draws.slope().length);
    }

    @Test
    void percentilesAreNumpysLinearOnes() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertEquals(1.1, BootstrapCalibration.percentile(sorted, 0.025), 1e-12); // np.percentile(.., 2.5)
        assertEquals(4.9, BootstrapCalibration.percentile(sorted, 0.975), 1e-12);
        assertEquals(3, BootstrapCalibration.percentile(sorted, 0.5), 1e-12);
    }
}
