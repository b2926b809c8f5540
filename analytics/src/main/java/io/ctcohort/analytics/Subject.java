package io.ctcohort.analytics;

import java.io.Serializable;

/**
 * One exam's values of one {@link MetricGroup} after QC, as the per-structure fits need them: its
 * metrics in the group's order. Missing values are NaN (numbers) or null (sex; phase when not
 * known, see {@link ContrastPhases#normalize}); {@code covariates} holds the extra manifest covariates.
 */
public record Subject(double age, String sex, double[] values, double[] covariates, String phase)
        implements Serializable {

    /** A measured structure's subject: values volume_ml, hu_mean ({@link Metric} order). */
    public static Subject measured(double age, String sex, double volumeMl, double huMean, double[] covariates,
                                   String phase) {
        return new Subject(age, sex, new double[] {volumeMl, huMean}, covariates, phase);
    }

    public double value(int metric) {
        return values[metric];
    }

    /** A measured structure's metric. */
    public double metric(Metric metric) {
        return values[metric.ordinal()];
    }
}
