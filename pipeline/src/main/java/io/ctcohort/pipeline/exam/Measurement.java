package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.stats.StructureStatistics;
import java.io.Serializable;

/**
 * One structure of one exam as the {@code measurements} table holds it (exam_id and model_id come
 * from the exam), and as it is staged: volume in ml, HU statistics of an absent structure null
 * (NaN in the engine), so that SQL aggregates skip them instead of turning NaN.
 */
public record Measurement(String structure, int label, long voxelCount, double volumeMl, Double huMean,
                          Double huStd, Double huMedian, Double huP05, Double huP95, boolean touchesBorder)
        implements Serializable {

    public static Measurement of(StructureStatistics s) {
        return new Measurement(s.structure(), s.label(), s.voxelCount(), s.volumeMl(), finiteOrNull(s.huMean()),
                finiteOrNull(s.huStd()), finiteOrNull(s.huMedian()), finiteOrNull(s.huP05()),
                finiteOrNull(s.huP95()), s.touchesBorder());
    }

    public static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
