package io.ctcohort.pipeline.exam;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What processing one exam produced, ok or failed: the result columns of its {@code exams} row
 * plus its measurements. Staged in one JSON file per batch of exams (see {@link StagingStore}).
 *
 * @param stageMillis per-stage wall time: read, reorient, resample, normalize, infer, restore, stats, total
 */
public record ExamResult(String examId, String fingerprint, String status, String errorClass, String errorMessage,
                         int[] dims, double[] spacing, Map<String, Long> stageMillis, String device,
                         String modelId, String modelSha256, String pipelineVersion, long processedAtMillis,
                         List<Measurement> measurements) implements Serializable {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }
}
