package io.ctcohort.pipeline.demo;

import static io.ctcohort.core.tables.AgeEffectsTable.BETA_AGE;
import static io.ctcohort.core.tables.AgeEffectsTable.BETA_AGE_CALIBRATED;
import static io.ctcohort.core.tables.AgeEffectsTable.BETA_AGE_UNADJUSTED;
import static io.ctcohort.core.tables.AgeEffectsTable.CALIBRATION_SLOPE;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_HIGH;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_HIGH_CALIBRATED;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_HIGH_UNADJUSTED;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_LOW;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_LOW_CALIBRATED;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_LOW_UNADJUSTED;
import static io.ctcohort.core.tables.AgeEffectsTable.N_VALIDATION;
import static io.ctcohort.core.tables.AgeEffectsTable.PHASE;
import static io.ctcohort.core.tables.AgeEffectsTable.P_AGE;
import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STRATUM;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.MeasurementsTable.HU_MEAN;
import static io.ctcohort.core.tables.MeasurementsTable.VOLUME_ML;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.Stratum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One age effect as the study estimated it (stratum {@code all}, pooled over phases: metric ~ age +
 * sex, plus phase where the study adjusts attenuation metrics for it; OLS): n, beta_age with its 95 %
 * CI and p, plus the metric's level at age 50, which turns a volume slope in ml/year into the
 * generator's unit, percent of the age-50 value per year. Beside it, where the age_effects table has
 * them, the fit without the phase term and the calibrated slope (null where absent or not computed).
 *
 * @param levelAt50        NaN for biomarkers (their slopes are read in their own unit)
 * @param unadjusted       beta_age_unadjusted [ci_low_unadjusted, ci_high_unadjusted]: null where phase
 *                         was not adjusted
 * @param calibrated       beta_age_calibrated [ci_low_calibrated, ci_high_calibrated]: null where the run
 *                         has no validation or too few validation exams
 * @param calibrationSlope NaN where {@code calibrated} is null
 * @param nValidation      0 where the table has no n_validation
 */
public record Estimate(long n, double beta, double ciLow, double ciHigh, double p, double levelAt50,
                       Interval unadjusted, Interval calibrated, double calibrationSlope, long nValidation) {

    /** A slope and its 95 % CI. */
    public record Interval(double beta, double ciLow, double ciHigh) {
        public boolean covers(double value) {
            return ciLow <= value && value <= ciHigh;
        }

        public boolean isFinite() {
            return Double.isFinite(beta) && Double.isFinite(ciLow) && Double.isFinite(ciHigh);
        }

        /** The interval, or null when any of its three numbers is missing. */
        static Interval ofNullable(double beta, double ciLow, double ciHigh) {
            Interval i = new Interval(beta, ciLow, ciHigh);
            return i.isFinite() ? i : null;
        }
    }

    /** An estimate with neither an unadjusted nor a calibrated fit beside it. */
    public Estimate(long n, double beta, double ciLow, double ciHigh, double p, double levelAt50) {
        this(n, beta, ciLow, ciHigh, p, levelAt50, null, null, Double.NaN, 0);
    }

    public double percentPerYear() {
        return 100 * beta / levelAt50;
    }

    public boolean covers(double value) {
        return ciLow <= value && value <= ciHigh;
    }

    public boolean isFinite() {
        return Double.isFinite(beta) && Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }

    public Interval interval() {
        return new Interval(beta, ciLow, ciHigh);
    }

    static String key(String structure, String metric) {
        return structure + "\u0000" + metric;
    }

    /**
     * The stratum-{@code all} rows of an age_effects table, keyed by (structure, metric), pooled over
     * phases (phase {@code all}; stratified per-phase rows are not read).
     *
     * @param effects rows with the age_effects columns; the unadjusted and calibrated columns are read
     *                where present
     * @param passed  the QC output the effects were fitted on (structure, age, sex, volume_ml, hu_mean), for
     *                the levels at 50 of volume_ml and hu_mean (other metrics, the biomarkers, have none)
     */
    static Map<String, Estimate> of(Dataset<Row> effects, Dataset<Row> passed) {
        // Level at 50 averaged over the sample's sex mix: OLS residuals sum to zero, so
        // mean(y) = b0 + b_age mean(age) + b_male mean(male), hence level(50) = mean(y) - b_age (mean(age) - 50).
        Map<String, double[]> means = new HashMap<>();
        for (Row r : passed.filter(col(SEX).isin("F", "M")).groupBy(STRUCTURE)
                .agg(avg(AGE), avg(VOLUME_ML), avg(HU_MEAN)).collectAsList()) {
            means.put(r.getString(0), new double[] {num(r, 1), num(r, 2), num(r, 3)});
        }
        Set<String> present = Set.of(effects.columns());
        Dataset<Row> all = effects.filter(col(STRATUM).equalTo(Stratum.ALL.label()));
        if (present.contains(PHASE)) {
            all = all.filter(col(PHASE).equalTo(PhasePlan.ALL_PHASES));
        }
        List<Column> cols = new ArrayList<>();
        for (String c : List.of(STRUCTURE, METRIC, N, BETA_AGE, CI_LOW, CI_HIGH, P_AGE)) {
            cols.add(col(c));
        }
        for (String c : OPTIONAL) {
            cols.add(present.contains(c) ? col(c).cast("double").as(c) : lit(null).cast("double").as(c));
        }
        Map<String, Estimate> out = new HashMap<>();
        for (Row r : all.select(cols.toArray(Column[]::new)).collectAsList()) {
            String structure = r.getString(0);
            String metric = r.getString(1);
            double beta = num(r, 3);
            double[] m = means.get(structure);
            double level = Double.NaN;
            if (m != null && (VOLUME_ML.equals(metric) || HU_MEAN.equals(metric))) {
                double mean = VOLUME_ML.equals(metric) ? m[1] : m[2];
                level = mean - beta * (m[0] - 50);
            }
            Interval calibrated = Interval.ofNullable(num(r, 10), num(r, 11), num(r, 12));
            double nValidation = num(r, 14);
            out.put(key(structure, metric), new Estimate(r.getLong(2), beta, num(r, 4), num(r, 5), num(r, 6), level,
                    Interval.ofNullable(num(r, 7), num(r, 8), num(r, 9)), calibrated,
                    calibrated == null ? Double.NaN : num(r, 13),
                    Double.isFinite(nValidation) ? (long) nValidation : 0));
        }
        return out;
    }

    /** Read where present, in this order from index 7 of the selected row. */
    private static final List<String> OPTIONAL = List.of(BETA_AGE_UNADJUSTED, CI_LOW_UNADJUSTED, CI_HIGH_UNADJUSTED,
            BETA_AGE_CALIBRATED, CI_LOW_CALIBRATED, CI_HIGH_CALIBRATED, CALIBRATION_SLOPE, N_VALIDATION);

    private static double num(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
    }
}
