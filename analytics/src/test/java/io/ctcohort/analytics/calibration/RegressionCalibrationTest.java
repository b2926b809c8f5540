package io.ctcohort.analytics.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.stats.StudentT;
import org.junit.jupiter.api.Test;

/** The calibrated effect on numbers worked by hand, and the reasons it is withheld. */
class RegressionCalibrationTest {
    static final RegressionCalibration CALIBRATION = new RegressionCalibration(CalibrationOptions.defaults());

    static OlsAgeFit.Result study(double beta, double se) {
        return new OlsAgeFit.Result(beta, se, beta / se, 0, beta - 2 * se, beta + 2 * se, 0.5, 10, null);
    }

    @Test
    void deltaMethodOnHandWorkedNumbers() {
        // beta* = -0.4 (se 0.05, 100 df), b = 0.8 (se 0.04, 25 pairs):
        // beta = -0.5; var = 0.05^2/0.8^2 + 0.4^2 x 0.04^2/0.8^4 = 0.00390625 + 0.000625
        CalibratedEffect c = CALIBRATION.calibrate(study(-0.4, 0.05), 100, new CalibrationFit(25, 0.8, 0.04, 3, 1, null));
        assertTrue(c.calibrated(), c.reason());
        assertEquals(-0.5, c.beta(), 1e-12);
        assertEquals(Math.sqrt(0.00390625 + 0.000625), c.se(), 1e-12);
        // Welch-Satterthwaite: (v1 + v2)^2 / (v1^2/100 + v2^2/23)
        double df = Math.pow(0.00453125, 2) / (Math.pow(0.00390625, 2) / 100 + Math.pow(0.000625, 2) / 23);
        assertEquals(df, c.df(), 1e-9);
        double q = StudentT.quantile(0.975, df);
        assertEquals(-0.5 - q * c.se(), c.ciLow(), 1e-12);
        assertEquals(-0.5 + q * c.se(), c.ciHigh(), 1e-12);
        assertEquals(0.8, c.calibrationSlope());
        assertEquals(25, c.nValidation());
    }

    @Test
    void withoutSlopeUncertaintyItIsTheStudyIntervalRescaled() {
        CalibratedEffect c = CALIBRATION.calibrate(study(-0.4, 0.05), 100, new CalibrationFit(25, 0.5, 0.0, 3, 1, null));
        assertEquals(-0.8, c.beta(), 1e-12);
        assertEquals(0.1, c.se(), 1e-12);
        assertEquals(100, c.df(), 1e-9);
    }

    @Test
    void tooFewValidationExamsGiveAReasonAndTheSlope() {
        CalibratedEffect c = CALIBRATION.calibrate(study(-0.4, 0.05), 100, new CalibrationFit(19, 0.8, 0.04, 3, 1, null));
        assertFalse(c.calibrated());
        assertTrue(Double.isNaN(c.beta()) && Double.isNaN(c.ciLow()));
        assertEquals("n_validation=19 < 20 validation exams", c.reason());
        assertEquals(0.8, c.calibrationSlope());
        assertEquals(19, c.nValidation());
        // the threshold is configurable
        assertTrue(new RegressionCalibration(CalibrationOptions.defaults().withMinValidationExams(10))
                .calibrate(study(-0.4, 0.05), 100, new CalibrationFit(19, 0.8, 0.04, 3, 1, null)).calibrated());
    }

    @Test
    void aSlopeNotClearlyNonZeroIsRefused() {
        // CI of b = 0.3 +- 2.07 x 0.2 includes 0
        CalibratedEffect wide = CALIBRATION.calibrate(study(-0.4, 0.05), 100, new CalibrationFit(25, 0.3, 0.2, 3, 1, null));
        assertFalse(wide.calibrated());
        assertTrue(wide.reason().startsWith("calibration slope 0.300 [95% CI -0.114, 0.714] not clearly non-zero"), wide.reason());
        // tight but below the floor
        CalibratedEffect flat = CALIBRATION.calibrate(study(-0.4, 0.05), 100, new CalibrationFit(25, 0.1, 0.01, 3, 1, null));
        assertFalse(flat.calibrated());
        assertTrue(flat.reason().contains("slope >= 0.2"), flat.reason());
        CalibratedEffect negative = CALIBRATION.calibrate(study(-0.4, 0.05), 100,
                new CalibrationFit(25, -0.9, 0.01, 3, 1, null));
        assertFalse(negative.calibrated());
    }

    @Test
    void calibrationFitIsOlsOfModelOnReference() {
        double[] ref = {10, 12, 15, 19, 24, 30, 31, 40};
        double[] model = {9.1, 10.2, 13.5, 15.0, 20.9, 24.0, 26.1, 32.5};
        CalibrationFit fit = CalibrationFit.fit(model, ref);
        double[][] x = new double[ref.length][];
        for (int i = 0; i < ref.length; i++) {
            x[i] = new double[] {ref[i]};
        }
        OlsAgeFit.Result ols = OlsAgeFit.fit(model, x); // the statsmodels-checked OLS, "age" = reference
        assertEquals(ols.betaAge(), fit.slope(), 1e-12);
        assertEquals(ols.seAge(), fit.slopeSe(), 1e-12);
        assertEquals(ols.intercept(), fit.intercept(), 1e-10);
        assertEquals(8, fit.n());
        // exact line: slope and intercept exact, zero standard errors
        CalibrationFit exact = CalibrationFit.fit(new double[] {7, 9, 11, 13}, new double[] {10, 14, 18, 22});
        assertEquals(0.5, exact.slope(), 1e-12);
        assertEquals(2.0, exact.intercept(), 1e-12);
        assertEquals(0.0, exact.slopeSe(), 1e-12);
        assertEquals("2 validation pairs, need at least 3", CalibrationFit.fit(new double[2], new double[2]).reason());
        assertEquals("constant reference values", CalibrationFit.fit(new double[] {1, 2, 3}, new double[] {5, 5, 5})
                .reason());
    }
}
