package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.infer.Device;
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
     * @param device the device this task was given
     */
    Analysis analyze(ExamTask task, ImageSource images, Device device) throws Exception;

    /**
     * The CPU-side first part of {@link #analyze} (read, preprocess), which may run on a helper thread
     * ahead of the exam's turn; {@link PreparedExam#finish} does the rest on the task's thread. The
     * default prepares nothing ahead. Either part may throw; it becomes the exam's failed row.
     */
    default PreparedExam prepare(ExamTask task, ImageSource images, Device device) throws Exception {
        return () -> analyze(task, images, device);
    }

    /** An exam whose preparation is done: what is left needs the device (inference) and measures. */
    @FunctionalInterface
    interface PreparedExam {
        Analysis finish() throws Exception;
    }
}
