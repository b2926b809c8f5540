package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Stage;
import io.ctcohort.engine.input.ImageRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one exam through an analyzer and turns the outcome into a result: every exception (a
 * corrupt, truncated, missing or wrongly typed file, a model failure) becomes one failed result
 * with its class and message, so that one bad exam never stops a cohort. In two steps, so that the
 * preparation may run ahead on another thread: {@link #prepare}, then {@link #run}.
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

    /**
     * An exam's preparation ({@link ExamAnalyzer#prepare}): the prepared exam, or what it failed with,
     * and how long it took (part of the exam's total_ms, wherever it ran).
     */
    public record Prepared(ExamAnalyzer.PreparedExam exam, Throwable error, long nanos) {
        public static Prepared failed(Throwable error) {
            return new Prepared(null, error, 0);
        }
    }

    /** Prepares one exam; never throws: a failure is kept for {@link #run} to turn into the failed row. */
    public static Prepared prepare(ExamAnalyzer analyzer, ExamTask task, ImageSource images) {
        long start = System.nanoTime();
        try {
            return new Prepared(analyzer.prepare(task, images), null, System.nanoTime() - start);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return new Prepared(null, e, System.nanoTime() - start);
        }
    }

    /** Finishes a prepared exam into its result (ok, or failed with the class and message of what went wrong). */
    public static ExamResult run(ExamAnalyzer analyzer, ExamTask task, Prepared prepared, String pipelineVersion) {
        testDelay(task);
        ModelIdentity model = analyzer.identity();
        long start = System.nanoTime() - prepared.nanos();
        try {
            if (prepared.error() != null) {
                throw prepared.error();
            }
            Analysis a = prepared.exam().finish();
            Map<String, Long> stages = new LinkedHashMap<>(a.stageMillis());
            stages.put(Stage.TOTAL.label(), (System.nanoTime() - start) / 1_000_000);
            return ExamResult.ok(task, a, stages, model, pipelineVersion);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return failed(analyzer, task, e, start, pipelineVersion);
        } catch (Error e) {
            throw e; // any other Error (of this thread or the preparation's) fails the task, as it always did
        } catch (Throwable e) {
            return failed(analyzer, task, e, start, pipelineVersion);
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

    private static ExamResult failed(ExamAnalyzer analyzer, ExamTask task, Throwable e, long start,
                                     String pipelineVersion) {
        ModelIdentity model = analyzer.identity();
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put(Stage.TOTAL.label(), (System.nanoTime() - start) / 1_000_000);
        // The message names the image by its place inside the image only (shared tables hold no paths).
        String message = io.ctcohort.pipeline.privacy.MessagePaths.relative(message(e),
                ImageRef.text(task.imageUri()), ImageRef.text(task.maskUri()));
        return ExamResult.failed(task, errorClass(e), message, stages, analyzer.device().toString(), model,
                pipelineVersion);
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
