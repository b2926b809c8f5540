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
        ordered.sort(ORDER);
        Packer packer = new Packer(maxBatchBytes(ordered, cores, taskInputBytes));
        List<List<ExamTask>> batches = new ArrayList<>();
        for (ExamTask t : ordered) {
            if (packer.startsBatch(t.sizeBytes())) {
                batches.add(new ArrayList<>());
            }
            batches.get(batches.size() - 1).add(t);
        }
        return batches;
    }

    /** Largest first, ties by exam id: the order exams are packed in (a total order, so packing is repeatable). */
    static final Comparator<ExamTask> ORDER =
            Comparator.comparingLong(ExamTask::sizeBytes).reversed().thenComparing(ExamTask::examId);

    /** Input bytes per batch: the run's total over max(MIN_BATCHES, 4 per core), at most taskInputBytes. */
    static long maxBatchBytes(List<ExamTask> todo, int cores, long taskInputBytes) {
        long total = 0;
        for (ExamTask t : todo) {
            total += Math.max(1, t.sizeBytes());
        }
        return maxBatchBytes(total, cores, taskInputBytes);
    }

    /** {@link #maxBatchBytes(List, int, long)} from the run's total input bytes (each exam counted as at least 1). */
    static long maxBatchBytes(long totalBytes, int cores, long taskInputBytes) {
        if (taskInputBytes <= 0) {
            return 1; // every exam alone
        }
        return Math.max(1, Math.min(taskInputBytes, totalBytes / Math.max(MIN_BATCHES, 4L * cores)));
    }

    /**
     * Packs exams, in {@link #ORDER}, into batches of at most the budget: an exam starts a new batch
     * when it would overflow the current one (so an exam at or above the budget is alone). The one
     * rule of both the list above and the Spark plan ({@link SparkBatches}), which packs its one sorted
     * partition with one packer.
     */
    static final class Packer {
        private final long budget;
        private long bytes;
        private boolean any;

        Packer(long budget) {
            this.budget = budget;
        }

        /** Adds an exam of this size; true where it begins a new batch. */
        boolean startsBatch(long sizeBytes) {
            long size = Math.max(1, sizeBytes);
            boolean starts = !any || bytes + size > budget;
            if (starts) {
                bytes = 0;
                any = true;
            }
            bytes += size;
            return starts;
        }
    }
}
