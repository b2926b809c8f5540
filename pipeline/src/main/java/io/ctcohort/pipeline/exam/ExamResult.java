package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Status;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What processing one exam produced, ok or failed: the result columns of its {@code exams} row
 * plus its measurements. Staged as one JSON file per exam (see {@link StagingStore}).
 *
 * @param stageMillis per-stage wall time by {@link io.ctcohort.core.tables.Stage#label()}
 */
public record ExamResult(String examId, String fingerprint, String status, String errorClass, String errorMessage,
                         int[] dims, double[] spacing, Map<String, Long> stageMillis, String device,
                         String modelId, String modelSha256, String pipelineVersion, long processedAtMillis,
                         List<Measurement> measurements) implements Serializable {
    /** {@link Status}'s value, as the exams table holds it. */
    public boolean ok() {
        return Status.OK.value().equals(status);
    }
}
