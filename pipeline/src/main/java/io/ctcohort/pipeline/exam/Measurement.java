package io.ctcohort.pipeline.exam;

import java.io.Serializable;

/**
 * One structure of one exam: a row of the {@code measurements} table (exam_id and model_id come
 * from the exam). HU statistics of an absent structure are null (NaN in the engine): SQL
 * aggregates then skip them instead of turning NaN.
 */
public record Measurement(String structure, int label, long voxelCount, double volumeMl, Double huMean,
                          Double huStd, Double huMedian, Double huP05, Double huP95, boolean touchesBorder)
        implements Serializable {

    public static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
