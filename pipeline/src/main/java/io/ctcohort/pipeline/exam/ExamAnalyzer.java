package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.infer.Device;
import java.io.Serializable;

/**
 * Turns one exam into measurements on an executor: the only part of the job that knows about the
 * engine. Shipped to executors by serialization, so implementations hold only small state
 * (paths, names) and create heavy things (ONNX sessions) lazily, once per JVM. Only an analyzer that
 * runs a model has a device: it takes the GPU Spark assigned a task in {@link #forTask}.
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
     * This analyzer as one Spark task runs it, given the GPU Spark's scheduler assigned the task
     * (null: none). One that runs a model resolves its device request here ({@link Device#resolve});
     * the default, for an analyzer that needs no device, is itself.
     */
    default ExamAnalyzer forTask(Integer assignedGpu) {
        return this;
    }

    /** Where this analyzer's exams run: the exams table's device column, failed rows included. */
    default Device device() {
        return Device.CPU;
    }

    /** Analyzes one exam. Any exception becomes the exam's failed row. */
    Analysis analyze(ExamTask task, ImageSource images) throws Exception;

    /**
     * The CPU-side first part of {@link #analyze} (read, preprocess), which may run on a helper thread
     * ahead of the exam's turn; {@link PreparedExam#finish} does the rest on the task's thread. The
     * default prepares nothing ahead. Either part may throw; it becomes the exam's failed row.
     */
    default PreparedExam prepare(ExamTask task, ImageSource images) throws Exception {
        return () -> analyze(task, images);
    }

    /** An exam whose preparation is done: what is left needs the device (inference) and measures. */
    @FunctionalInterface
    interface PreparedExam {
        Analysis finish() throws Exception;
    }
}
