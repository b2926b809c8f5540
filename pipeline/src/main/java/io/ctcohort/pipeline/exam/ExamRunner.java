package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Stage;
import io.ctcohort.core.tables.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one exam through an analyzer and turns the outcome into a result: every exception (a
 * corrupt, truncated, missing or wrongly typed file, a model failure) becomes one failed result
 * with its class and message, so that one bad exam never stops a cohort.
 */
public final class ExamRunner {
    /** Test hook: milliseconds to sleep before each exam, so a test can kill a run midway. */
    public static final String DELAY_PROPERTY = "ctcohort.pipeline.testExamDelayMs";
    /**
     * Test hook: "EXAM_ID:MS" sleeps that long before that exam on its Spark task's first attempt
     * only, a straggler that a speculative copy overtakes.
     */
    public static final String SLOW_FIRST_ATTEMPT_PROPERTY = "ctcohort.pipeline.testSlowFirstAttempt";
    private static final int MAX_MESSAGE = 2000;

    private ExamRunner() {
    }

    public static ExamResult run(ExamAnalyzer analyzer, ExamTask task, ImageSource images, String device,
                                 String pipelineVersion) {
        testDelay(task);
        ModelIdentity model = analyzer.identity();
        long start = System.nanoTime();
        try {
            Analysis a = analyzer.analyze(task, images, device);
            Map<String, Long> stages = new LinkedHashMap<>(a.stageMillis());
            stages.put(Stage.TOTAL.label(), (System.nanoTime() - start) / 1_000_000);
            return new ExamResult(task.examId(), task.fingerprint(), Status.OK.value(), null, null, a.dims(), a.spacing(),
                    stages, a.device(), model.modelId(), model.sha256(), pipelineVersion, System.currentTimeMillis(),
                    a.measurements());
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            Map<String, Long> stages = new LinkedHashMap<>();
            stages.put(Stage.TOTAL.label(), (System.nanoTime() - start) / 1_000_000);
            return new ExamResult(task.examId(), task.fingerprint(), Status.FAILED.value(), errorClass(e), message(e),
                    null, null, stages, device, model.modelId(), model.sha256(), pipelineVersion,
                    System.currentTimeMillis(), List.of());
        }
    }

    private static void testDelay(ExamTask task) {
        long delay = Long.getLong(DELAY_PROPERTY, 0L);
        String slow = System.getProperty(SLOW_FIRST_ATTEMPT_PROPERTY, "");
        org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
        if (slow.startsWith(task.examId() + ":") && tc != null && tc.attemptNumber() == 0) {
            delay += Long.parseLong(slow.substring(task.examId().length() + 1));
        }
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The exception's class, with the stable problem code where the input error has one (groups failures by cause). */
    static String errorClass(Throwable e) {
        String code = e instanceof io.ctcohort.engine.InvalidImageException i ? i.code() : null;
        return code == null ? e.getClass().getName() : e.getClass().getName() + ":" + code;
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
            m = m + " (caused by " + c.getClass().getSimpleName() + ": " + c.getMessage() + ")";
        }
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
    }
}
