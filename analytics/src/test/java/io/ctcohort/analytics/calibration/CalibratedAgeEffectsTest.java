package io.ctcohort.analytics.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.AgeEffects;
import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.validation.ValidationExam;
import io.ctcohort.analytics.validation.ValidationPair;
import io.ctcohort.analytics.validation.ValidationSet;
import io.ctcohort.core.tables.AgeEffectsTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The age_effects step: the study's df recovered from its interval, and the calibrated columns set by name. */
class CalibratedAgeEffectsTest {

    @Test
    void residualDfIsRecoveredFromTheInterval() {
        for (int n : new int[] {5, 23, 60, 400, 100_000}) {
            SplittableRandom rng = new SplittableRandom(n);
            double[] y = new double[n];
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                x[i] = new double[] {20 + 60 * rng.nextDouble(), rng.nextBoolean() ? 1 : 0};
                y[i] = 3 - 0.2 * x[i][0] + rng.nextGaussian();
            }
            OlsAgeFit.Result fit = OlsAgeFit.fit(y, x);
            double df = CalibratedAgeEffects.residualDf(fit.betaAge(), fit.seAge(), fit.ciHigh());
            if (n < 1000) {
                assertEquals(n - 3, df, 1e-6 * n, "n=" + n);
            } else { // t is the normal here to 1e-5: the df is only known to be large
                assertTrue(df > 10_000, "df " + df);
            }
        }
        assertTrue(Double.isNaN(CalibratedAgeEffects.residualDf(Double.NaN, 1, 2)));
    }

    @Test
    void everyStratumIsCalibratedWithItsStructuresSlope() {
        SplittableRandom rng = new SplittableRandom(5);
        List<ValidationPair> pairs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double ref = 100 + 20 * rng.nextGaussian();
            pairs.add(new ValidationPair("e" + i, "liver", "volume_ml", 4 + 0.75 * ref + rng.nextGaussian(), ref));
        }
        ValidationSet set = new ValidationSet(pairs, List.of());
        // ci = beta +- t(0.975, 97) x se
        double q = io.ctcohort.analytics.stats.StudentT.quantile(0.975, 97);
        List<AgeEffect> effects = List.of(
                effect("liver", "volume_ml", "all", -0.3, 0.05, q),
                effect("liver", "volume_ml", "F", -0.2, 0.08, q),
                effect("liver", "hu_mean", "all", -0.5, 0.1, q));
        CalibrationOptions referenceOnly = CalibrationOptions.defaults().withModel(CalibrationModel.REFERENCE_ONLY);
        Map<CalibratedAgeEffects.Key, CalibratedEffect> c = CalibratedAgeEffects.calibrate(effects, set, Map.of(), 0,
                Double.NaN, referenceOnly);
        double[][] v = ValidationSet.columns(pairs);
        CalibrationFit fit = CalibrationFit.fit(v[0], v[1]);
        RegressionCalibration rc = new RegressionCalibration(referenceOnly);
        OlsAgeFit.Result all = new OlsAgeFit.Result(-0.3, 0.05, 0, 0, -0.3 - q * 0.05, -0.3 + q * 0.05, 0, 0, null);
        CalibratedEffect expected = rc.calibrate(all, 97, fit);
        CalibratedEffect got = c.get(key("liver", "volume_ml", "all"));
        assertEquals(expected.beta(), got.beta(), 1e-12);
        assertEquals(expected.ciLow(), got.ciLow(), 1e-9);
        assertEquals(expected.df(), got.df(), 1e-4);
        assertEquals(fit.slope(), c.get(key("liver", "volume_ml", "F")).calibrationSlope());
        CalibratedEffect hu = c.get(key("liver", "hu_mean", "all"));
        assertEquals(0, hu.nValidation());
        assertEquals("n_validation=0 < 20 validation exams", hu.reason());

        List<Row> rows = AgeEffects.rows(effects);
        List<Row> out = CalibratedAgeEffects.withCalibration(rows, c);
        Row r = out.get(0);
        assertEquals(AgeEffectsTable.SCHEMA.size(), r.size());
        assertEquals(got.beta(), (Double) r.get(AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.BETA_AGE_CALIBRATED)));
        assertEquals(30L, r.get(AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.N_VALIDATION)));
        assertEquals(-0.3, (Double) r.get(AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.BETA_AGE)));
        Row h = out.get(2);
        assertNull(h.get(AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.BETA_AGE_CALIBRATED)));
        assertNull(h.get(AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.CALIBRATION_SLOPE)));
        assertEquals(hu.reason(), h.get(AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.CALIBRATION_REASON)));
        // a row without a calibration passes through untouched
        assertSame(rows.get(1), CalibratedAgeEffects.withCalibration(rows, Map.of()).get(1));
    }

    /**
     * The conditional model: each row's fit is OLS of model on reference, age and male over the
     * validation exams its row covers (a phase stratum: that phase's exams; an adjusted row: the
     * exams of known phase, with their phase indicators), the same fit for every sex stratum.
     */
    @Test
    void eachPhaseStratumIsCalibratedOnItsOwnExamsAndSexStrataShareTheFit() {
        SplittableRandom rng = new SplittableRandom(11);
        ValidationCohort cohort = new ValidationCohort("liver", "hu_mean");
        for (int i = 0; i < 60; i++) {
            String phase = i % 3 == 0 ? null : i % 3 == 1 ? "native" : "portal_venous";
            double age = 20 + 70 * rng.nextDouble();
            String sex = rng.nextBoolean() ? "F" : "M";
            double ref = 50 - 0.3 * age + ("portal_venous".equals(phase) ? 40 : 0) + 5 * rng.nextGaussian();
            double model = 3 + 0.9 * ref + ("native".equals(phase) ? 0.1 : 0.2) * (age - 50) + rng.nextGaussian();
            cohort.add(model, ref, age, sex, phase);
        }
        Map<String, ValidationExam> exams = cohort.exams;
        ValidationSet set = cohort.set();
        double q = io.ctcohort.analytics.stats.StudentT.quantile(0.975, 97);
        AgeEffect nativeAll = effect("liver", "hu_mean", "all", -0.1, 0.05, q).withPhase("native", "stratified", null);
        AgeEffect nativeF = effect("liver", "hu_mean", "F", -0.1, 0.07, q).withPhase("native", "stratified", null);
        AgeEffect venousAll = effect("liver", "hu_mean", "all", -0.05, 0.05, q)
                .withPhase("portal_venous", "stratified", null);
        AgeEffect adjusted = effect("liver", "hu_mean", "all", -0.08, 0.04, q).withPhase("all", "adjusted", null);
        Map<CalibratedAgeEffects.Key, CalibratedEffect> c = CalibratedAgeEffects.calibrate(
                List.of(nativeAll, nativeF, venousAll, adjusted), set, exams, 0, Double.NaN,
                CalibrationOptions.defaults());
        CalibratedEffect n = c.get(CalibratedAgeEffects.Key.of(nativeAll));
        CalibratedEffect v = c.get(CalibratedAgeEffects.Key.of(venousAll));
        CalibratedEffect a = c.get(CalibratedAgeEffects.Key.of(adjusted));
        assertEquals(20, n.nValidation());
        assertEquals(20, v.nValidation());
        assertEquals(40, a.nValidation(), "exams of unknown phase are out of the adjusted fit");
        // the native stratum's fit, by hand: its 20 exams, design age, male
        List<double[]> x = new ArrayList<>();
        List<Double> m = new ArrayList<>();
        List<Double> r = new ArrayList<>();
        for (ValidationPair p : cohort.pairs) {
            ValidationExam e = exams.get(p.examId());
            if ("native".equals(e.phase())) {
                x.add(new double[] {e.age(), "M".equals(e.sex()) ? 1 : 0});
                m.add(p.model());
                r.add(p.reference());
            }
        }
        CalibrationFit nativeFit = CalibrationFit.fit(m.stream().mapToDouble(Double::doubleValue).toArray(),
                r.stream().mapToDouble(Double::doubleValue).toArray(), x.toArray(double[][]::new));
        assertEquals(nativeFit.slope(), n.calibrationSlope(), 1e-12);
        assertEquals((-0.1 - nativeFit.ageCoefficient()) / nativeFit.slope(), n.beta(), 1e-12);
        assertEquals(n.calibrationSlope(), c.get(CalibratedAgeEffects.Key.of(nativeF)).calibrationSlope());
        assertTrue(Math.abs(n.calibrationSlope() - v.calibrationSlope()) > 1e-6, "phases calibrate apart");
        assertTrue(n.calibrated() && v.calibrated() && a.calibrated(), n.reason() + " " + v.reason() + " " + a.reason());

        // too few exams of one phase, and a validation subset whose ages barely vary
        CalibratedEffect few = CalibratedAgeEffects.calibrate(List.of(nativeAll), set, exams, 0, Double.NaN,
                CalibrationOptions.defaults().withMinValidationExams(25)).get(CalibratedAgeEffects.Key.of(nativeAll));
        assertEquals("n_validation=20 < 25 validation exams", few.reason());
        CalibratedEffect narrow = CalibratedAgeEffects.calibrate(List.of(adjusted), set, exams, 0, 200.0,
                CalibrationOptions.defaults()).get(CalibratedAgeEffects.Key.of(adjusted));
        assertTrue(narrow.reason().contains("age SD") && narrow.reason().contains("the cohort's 200 y"),
                narrow.reason());
    }

    /** --calibration-interval bootstrap: the same estimate, a seeded percentile interval near the delta method's. */
    @Test
    void theBootstrapIntervalIsSeededAndAgreesWithTheDeltaMethod() {
        SplittableRandom rng = new SplittableRandom(3);
        ValidationCohort cohort = new ValidationCohort("pancreas", "volume_ml");
        for (int i = 0; i < 40; i++) {
            double age = 20 + 70 * rng.nextDouble();
            double ref = 120 - 0.6 * age + 10 * rng.nextGaussian();
            cohort.add(2 + 0.85 * ref + 0.1 * age + 2 * rng.nextGaussian(), ref, age, i % 2 == 0 ? "F" : "M", null);
        }
        Map<String, ValidationExam> exams = cohort.exams;
        ValidationSet set = cohort.set();
        double q = io.ctcohort.analytics.stats.StudentT.quantile(0.975, 197);
        List<AgeEffect> effects = List.of(effect("pancreas", "volume_ml", "all", -0.41, 0.04, q));
        CalibrationOptions boot = CalibrationOptions.defaults().withBootstrap(new CalibrationOptions.Bootstrap(2000, 7));
        CalibratedEffect delta = CalibratedAgeEffects.calibrate(effects, set, exams, 0, Double.NaN,
                CalibrationOptions.defaults()).get(key("pancreas", "volume_ml", "all"));
        CalibratedEffect b1 = CalibratedAgeEffects.calibrate(effects, set, exams, 0, Double.NaN, boot)
                .get(key("pancreas", "volume_ml", "all"));
        CalibratedEffect b2 = CalibratedAgeEffects.calibrate(effects, set, exams, 0, Double.NaN, boot)
                .get(key("pancreas", "volume_ml", "all"));
        assertTrue(delta.calibrated() && b1.calibrated(), delta.reason() + " " + b1.reason());
        assertEquals(delta.beta(), b1.beta(), 1e-15);
        assertEquals(b1.ciLow(), b2.ciLow(), 0.0, "seeded");
        assertEquals(b1.ciHigh(), b2.ciHigh(), 0.0, "seeded");
        assertTrue(b1.ciLow() != delta.ciLow());
        double width = delta.ciHigh() - delta.ciLow();
        assertEquals(width, b1.ciHigh() - b1.ciLow(), 0.25 * width, "bootstrap " + b1 + " delta " + delta);
        assertEquals(delta.se(), b1.se(), 0.25 * delta.se());
    }

    /** Validation exams e0, e1, ... of one structure and metric: each its pair and its exams row. */
    private static final class ValidationCohort {
        final String structure;
        final String metric;
        final List<ValidationPair> pairs = new ArrayList<>();
        final Map<String, ValidationExam> exams = new HashMap<>();

        ValidationCohort(String structure, String metric) {
            this.structure = structure;
            this.metric = metric;
        }

        void add(double model, double reference, double age, String sex, String phase) {
            String id = "e" + pairs.size();
            pairs.add(new ValidationPair(id, structure, metric, model, reference));
            exams.put(id, new ValidationExam(id, age, sex, new double[0], phase));
        }

        ValidationSet set() {
            return new ValidationSet(pairs, List.of());
        }
    }

    static CalibratedAgeEffects.Key key(String structure, String metric, String stratum) {
        return new CalibratedAgeEffects.Key(structure, metric, stratum, "all");
    }

    static AgeEffect effect(String structure, String metric, String stratum, double beta, double se, double q) {
        return new AgeEffect(structure, metric, stratum, 100, 0, 0, beta, se, beta / se, 0.01, beta - q * se,
                beta + q * se, 0.3, 1, 0.01, 0.01, 1, null);
    }
}
