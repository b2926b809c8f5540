package io.ctcohort.pipeline.job;

import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ExamTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the exams of a run are cut into Spark tasks. A task costs about 10 ms of CPU (scheduling,
 * one staged file), nothing beside segmenting a CT and most of the work of measuring a tiny one;
 * so exams are packed, largest first, into batches of at most {@link #maxBatchBytes} of input
 * (sizes come from the fingerprints), and an exam at or above that size is a batch of its own. The
 * budget is the analyzer's ({@link ExamAnalyzer#taskInputBytes()}: 0 for segment, one exam per
 * task), and keeps at least {@link #MIN_BATCHES} batches (or one per exam, when fewer) and four
 * per core, so that a run still spreads over every core and a killed run loses little.
 */
final class ExamBatches {
    /** A run has at least this many batches (or one per exam, when fewer). */
    static final int MIN_BATCHES = 100;

    private ExamBatches() {
    }

    /** The batches, in the order Spark should start them: largest exams first. */
    static List<List<ExamTask>> of(List<ExamTask> todo, int cores, long taskInputBytes) {
        List<ExamTask> ordered = new ArrayList<>(todo);
        ordered.sort(Comparator.comparingLong(ExamTask::sizeBytes).reversed().thenComparing(ExamTask::examId));
        long budget = maxBatchBytes(ordered, cores, taskInputBytes);
        List<List<ExamTask>> batches = new ArrayList<>();
        List<ExamTask> current = new ArrayList<>();
        long bytes = 0;
        for (ExamTask t : ordered) {
            long size = Math.max(1, t.sizeBytes());
            if (!current.isEmpty() && bytes + size > budget) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Input bytes per batch: the run's total over max(MIN_BATCHES, 4 per core), at most taskInputBytes. */
    static long maxBatchBytes(List<ExamTask> todo, int cores, long taskInputBytes) {
        if (taskInputBytes <= 0) {
            return 1; // every exam alone
        }
        long total = 0;
        for (ExamTask t : todo) {
            total += Math.max(1, t.sizeBytes());
        }
        return Math.max(1, Math.min(taskInputBytes, total / Math.max(MIN_BATCHES, 4L * cores)));
    }
}
