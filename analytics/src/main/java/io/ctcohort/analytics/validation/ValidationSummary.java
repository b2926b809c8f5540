package io.ctcohort.analytics.validation;

import io.ctcohort.analytics.calibration.CalibrationFit;
import io.ctcohort.analytics.calibration.CalibrationOptions;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.core.tables.ValidationSummaryTable;
import io.ctcohort.core.tables.ValidationTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * The {@code validation_summary} rows: per structure x metric, the Dice (mean and 5th percentile),
 * Bland and Altman's (1986) bias and 95 % limits of agreement of model - reference, and the
 * calibration of the model on the reference ({@link CalibrationFit}); a flag where the mean Dice or
 * the calibration slope falls outside the configured range.
 */
public final class ValidationSummary {
    /** Bland and Altman's limits: bias +- 1.96 SD of the differences. */
    static final double LOA_Z = 1.96;

    private ValidationSummary() {
    }

    public static List<AgreementSummary> summarize(ValidationSet set, CalibrationOptions options) {
        Set<String> structures = new LinkedHashSet<>();
        set.dice().forEach(d -> structures.add(d.structure()));
        set.pairs().forEach(p -> structures.add(p.structure()));
        List<AgreementSummary> out = new ArrayList<>();
        for (String structure : structures) {
            double[] dice = set.dice(structure);
            for (String metric : ValidationTable.METRICS) {
                out.add(summarize(structure, metric, dice, set.pairs(structure, metric), options));
            }
        }
        return out;
    }

    static AgreementSummary summarize(String structure, String metric, double[] dice, List<ValidationPair> pairs,
                                      CalibrationOptions options) {
        double diceMean = mean(dice);
        double diceP05 = dice.length == 0 ? Double.NaN : percentile(dice, 5);
        double[][] v = ValidationSet.columns(pairs);
        int n = pairs.size();
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = v[0][i] - v[1][i];
        }
        double bias = mean(diff);
        double sd = sampleSd(diff);
        CalibrationFit fit = CalibrationFit.fit(v[0], v[1]);
        List<String> flags = new ArrayList<>();
        if (diceMean < options.minMeanDice()) {
            flags.add(String.format(Locale.ROOT, "mean Dice %.3f below %s", diceMean, options.minMeanDice()));
        }
        if (fit.slope() < options.slopeLow() || fit.slope() > options.slopeHigh()) {
            flags.add(String.format(Locale.ROOT, "calibration slope %.3f outside [%s, %s]", fit.slope(),
                    options.slopeLow(), options.slopeHigh()));
        }
        String reason = n == 0 ? "no validation pair" : fit.reason();
        return new AgreementSummary(structure, metric, n, dice.length, diceMean, diceP05, bias, sd, bias - LOA_Z * sd,
                bias + LOA_Z * sd, fit.slope(), fit.slopeSe(), fit.intercept(), fit.interceptSe(),
                flags.isEmpty() ? null : String.join("; ", flags), reason);
    }

    /** The rows of the table, each value set by its column's name (NaN as null). */
    public static List<Row> rows(List<AgreementSummary> summaries, String modelId) {
        List<Row> rows = new ArrayList<>(summaries.size());
        for (AgreementSummary s : summaries) {
            rows.add(new RowBuilder(ValidationSummaryTable.SCHEMA)
                    .set(Columns.STRUCTURE, s.structure()).set(Columns.METRIC, s.metric()).set(Columns.N, s.n())
                    .set(ValidationSummaryTable.N_DICE, s.nDice())
                    .set(ValidationSummaryTable.DICE_MEAN, orNull(s.diceMean()))
                    .set(ValidationSummaryTable.DICE_P05, orNull(s.diceP05()))
                    .set(ValidationSummaryTable.BIAS, orNull(s.bias()))
                    .set(ValidationSummaryTable.SD_DIFFERENCE, orNull(s.sdDifference()))
                    .set(ValidationSummaryTable.LOA_LOW, orNull(s.loaLow()))
                    .set(ValidationSummaryTable.LOA_HIGH, orNull(s.loaHigh()))
                    .set(ValidationSummaryTable.CALIBRATION_SLOPE, orNull(s.calibrationSlope()))
                    .set(ValidationSummaryTable.CALIBRATION_SLOPE_SE, orNull(s.calibrationSlopeSe()))
                    .set(ValidationSummaryTable.CALIBRATION_INTERCEPT, orNull(s.calibrationIntercept()))
                    .set(ValidationSummaryTable.CALIBRATION_INTERCEPT_SE, orNull(s.calibrationInterceptSe()))
                    .set(ValidationSummaryTable.FLAG, s.flag()).set(Columns.REASON, s.reason())
                    .set(Columns.MODEL_ID, modelId).row());
        }
        return rows;
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double sampleSd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double d : v) {
            ss += (d - m) * (d - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** numpy.percentile's default ('linear'): position (n - 1) q / 100 between the sorted neighbours. */
    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = (s.length - 1) * q / 100.0;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
