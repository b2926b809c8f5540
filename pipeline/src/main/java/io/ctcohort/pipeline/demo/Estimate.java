package io.ctcohort.pipeline.demo;

import static io.ctcohort.core.tables.AgeEffectsTable.BETA_AGE;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_HIGH;
import static io.ctcohort.core.tables.AgeEffectsTable.CI_LOW;
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

import io.ctcohort.analytics.Stratum;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One age effect as the study estimated it (stratum {@code all}: metric ~ age + sex, OLS): n,
 * beta_age with its 95 % CI and p, plus the metric's level at age 50, which turns a volume slope
 * in ml/year into the generator's unit, percent of the age-50 value per year.
 */
public record Estimate(long n, double beta, double ciLow, double ciHigh, double p, double levelAt50) {

    public double percentPerYear() {
        return 100 * beta / levelAt50;
    }

    public boolean covers(double value) {
        return ciLow <= value && value <= ciHigh;
    }

    public boolean isFinite() {
        return Double.isFinite(beta) && Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }

    static String key(String structure, String metric) {
        return structure + "\u0000" + metric;
    }

    /**
     * The stratum-{@code all} rows of an age_effects table, keyed by (structure, metric).
     *
     * @param effects rows with the age_effects columns
     * @param passed  the QC output the effects were fitted on (structure, age, sex, volume_ml, hu_mean)
     */
    static Map<String, Estimate> of(Dataset<Row> effects, Dataset<Row> passed) {
        // Level at 50 averaged over the sample's sex mix: OLS residuals sum to zero, so
        // mean(y) = b0 + b_age mean(age) + b_male mean(male), hence level(50) = mean(y) - b_age (mean(age) - 50).
        Map<String, double[]> means = new HashMap<>();
        for (Row r : passed.filter(col(SEX).isin("F", "M")).groupBy(STRUCTURE)
                .agg(avg(AGE), avg(VOLUME_ML), avg(HU_MEAN)).collectAsList()) {
            means.put(r.getString(0), new double[] {num(r, 1), num(r, 2), num(r, 3)});
        }
        Map<String, Estimate> out = new HashMap<>();
        List<Row> rows = effects.filter(col(STRATUM).equalTo(Stratum.ALL.label()))
                .select(STRUCTURE, METRIC, N, BETA_AGE, CI_LOW, CI_HIGH, P_AGE).collectAsList();
        for (Row r : rows) {
            String structure = r.getString(0);
            String metric = r.getString(1);
            double beta = num(r, 3);
            double[] m = means.get(structure);
            double level = Double.NaN;
            if (m != null) {
                double mean = VOLUME_ML.equals(metric) ? m[1] : m[2];
                level = mean - beta * (m[0] - 50);
            }
            out.put(key(structure, metric), new Estimate(r.getLong(2), beta, num(r, 4), num(r, 5), num(r, 6), level));
        }
        return out;
    }

    private static double num(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
    }
}
