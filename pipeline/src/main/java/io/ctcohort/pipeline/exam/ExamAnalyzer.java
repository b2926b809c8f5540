package io.ctcohort.pipeline.exam;

import java.io.Serializable;

/**
 * Turns one exam into measurements on an executor: the only part of the job that knows about the
 * engine. Shipped to executors by serialization, so implementations hold only small state
 * (paths, names) and create heavy things (ONNX sessions) lazily, once per JVM.
 */
public interface ExamAnalyzer extends Serializable {
    /** Short name of the job ("segment", "measure"), for messages. */
    String jobName();

    ModelIdentity identity();

    /** Structures measured per exam (rows per exam in measurements), for sizing output files. */
    int structureCount();

    /**
     * Input bytes worth one Spark task: smaller exams share a task ({@code job/ExamBatches}). 0, the
     * default, gives every exam a task of its own, right where an exam costs seconds (inference).
     */
    default long taskInputBytes() {
        return 0;
    }

    /** Whether the manifest must carry mask_uri. */
    default boolean needsMask() {
        return false;
    }

    /**
     * Analyzes one exam. Any exception becomes the exam's failed row.
     *
     * @param device "cpu" or "cuda:N": the device this task was given
     */
    Analysis analyze(ExamTask task, ImageSource images, String device) throws Exception;
}
