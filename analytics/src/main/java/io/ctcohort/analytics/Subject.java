package io.ctcohort.analytics;

import java.io.Serializable;

/**
 * One exam's measurements of one structure after QC, as the per-structure fits need them. Missing
 * values are NaN (numbers) or null (sex); {@code covariates} holds the extra manifest covariates.
 */
public record Subject(double age, String sex, double volumeMl, double huMean, double[] covariates)
        implements Serializable {

    public double metric(Metric metric) {
        return metric == Metric.VOLUME_ML ? volumeMl : huMean;
    }
}
