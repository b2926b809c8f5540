package io.ctcohort.analytics.calibration;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.validation.ValidationExam;
import io.ctcohort.analytics.validation.ValidationSet;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.Columns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The calibrated columns of {@code age_effects}: every row (structure, metric, stratum, phase)
 * calibrated by the validation pairs of its structure and metric ({@link RegressionCalibration}), those
 * of its phase where the row is one phase's stratum, on the row's covariates with the conditional model
 * ({@link CalibrationDesign}; one fit serves the sex strata). The study's residual degrees of freedom
 * are recovered from the row's own interval, {@code (ci_high - beta_age) / se_age = t(0.975, df)}.
 */
public final class CalibratedAgeEffects {
    private static final double CONFIDENCE = 0.95;

    private CalibratedAgeEffects() {
    }

    /** An age_effects row's key. */
    public record Key(String structure, String metric, String stratum, String phase) {
        public static Key of(AgeEffect e) {
            return new Key(e.structure(), e.metric(), e.stratum(), e.phase());
        }
    }

    /**
     * @param exams       the validation exams' designs by exam_id ({@link CalibrationModel#CONDITIONAL} needs
     *                    them; phase strata need their phase)
     * @param nCovariates the study's --covariate columns
     * @param cohortAgeSd the sample SD of the analysed exams' ages (NaN: the age-spread rule is not applied)
     */
    public static Map<Key, CalibratedEffect> calibrate(List<AgeEffect> effects, ValidationSet validation,
                                                       Map<String, ValidationExam> exams, int nCovariates,
                                                       double cohortAgeSd, CalibrationOptions options) {
        RegressionCalibration calibration = new RegressionCalibration(options);
        CalibrationOptions.Bootstrap bootstrap = options.bootstrap();
        Map<CalibrationDesign.Key, CalibrationData> data = new HashMap<>();
        Map<CalibrationDesign.Key, CalibrationFit> fits = new HashMap<>();
        Map<CalibrationDesign.Key, BootstrapCalibration.Draws> draws = new HashMap<>();
        Map<Key, CalibratedEffect> out = new HashMap<>();
        for (AgeEffect e : effects) {
            CalibrationDesign.Key k = CalibrationDesign.Key.of(e);
            CalibrationData d = data.computeIfAbsent(k, x -> CalibrationDesign.data(x,
                    validation.pairs(e.structure(), e.metric()), exams, nCovariates, options));
            CalibrationFit fit = fits.computeIfAbsent(k, x -> CalibrationDesign.fit(d, cohortAgeSd, options));
            OlsAgeFit.Result study = new OlsAgeFit.Result(e.betaAge(), e.seAge(), e.tAge(), e.pAge(), e.ciLow(),
                    e.ciHigh(), e.r2(), e.intercept(), e.reason());
            double df = residualDf(e.betaAge(), e.seAge(), e.ciHigh());
            Key key = Key.of(e);
            if (bootstrap == null || !fit.estimable()) {
                out.put(key, calibration.calibrate(study, df, fit));
            } else {
                // seeds from the options' seed and the key's text: the same run gives the same intervals
                BootstrapCalibration.Draws dr = draws.computeIfAbsent(k, x -> BootstrapCalibration.draws(d,
                        bootstrap.replicates(), bootstrap.seed() * 31 + x.toString().hashCode()));
                long seed = bootstrap.seed() * 31 + key.toString().hashCode();
                out.put(key, calibration.calibrate(study, df, fit, dr, seed));
            }
        }
        return out;
    }

    /** {@code effectRows} (age_effects rows, schema order) with the calibrated columns set; NaN as null. */
    public static List<Row> withCalibration(List<Row> effectRows, Map<Key, CalibratedEffect> calibrated) {
        int structure = AgeEffectsTable.SCHEMA.fieldIndex(Columns.STRUCTURE);
        int metric = AgeEffectsTable.SCHEMA.fieldIndex(Columns.METRIC);
        int stratum = AgeEffectsTable.SCHEMA.fieldIndex(Columns.STRATUM);
        int phase = AgeEffectsTable.SCHEMA.fieldIndex(AgeEffectsTable.PHASE);
        List<Row> out = new ArrayList<>(effectRows.size());
        for (Row r : effectRows) {
            CalibratedEffect c = calibrated.get(new Key(r.getString(structure), r.getString(metric),
                    r.getString(stratum), r.getString(phase)));
            if (c == null) {
                out.add(r);
                continue;
            }
            Object[] values = new Object[r.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.get(i);
            }
            set(values, AgeEffectsTable.BETA_AGE_CALIBRATED, orNull(c.beta()));
            set(values, AgeEffectsTable.CI_LOW_CALIBRATED, orNull(c.ciLow()));
            set(values, AgeEffectsTable.CI_HIGH_CALIBRATED, orNull(c.ciHigh()));
            set(values, AgeEffectsTable.CALIBRATION_SLOPE, orNull(c.calibrationSlope()));
            set(values, AgeEffectsTable.N_VALIDATION, c.nValidation());
            set(values, AgeEffectsTable.CALIBRATION_REASON, c.reason());
            out.add(RowFactory.create(values));
        }
        return out;
    }

    private static void set(Object[] values, String column, Object value) {
        values[AgeEffectsTable.SCHEMA.fieldIndex(column)] = value;
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * The df whose t quantile is {@code (ciHigh - beta) / se}: bisection on log(df) over [1, 1e9]
     * against the t CDF (one incomplete beta per step). NaN when the interval is not finite.
     */
    static double residualDf(double beta, double se, double ciHigh) {
        double q = (ciHigh - beta) / se;
        double target = 1 - (1 - CONFIDENCE) / 2;
        if (!Double.isFinite(q) || !(q > 0)) {
            return Double.NaN;
        }
        double lo = 0; // log(1)
        double hi = Math.log(1e9);
        if (new TDistribution(null, 1e9).cumulativeProbability(q) < target) {
            return 1e9; // the normal quantile, or below it by rounding: as good as infinite df
        }
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            double p = new TDistribution(null, Math.exp(mid)).cumulativeProbability(q);
            if (p < target) {
                lo = mid; // too few df: the tails are heavier than q says
            } else {
                hi = mid;
            }
        }
        return Math.exp((lo + hi) / 2);
    }
}
