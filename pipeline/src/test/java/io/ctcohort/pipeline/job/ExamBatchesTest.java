package io.ctcohort.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.pipeline.exam.ExamTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExamBatchesTest {
    private static final long MEASURE = 64L << 20;
    private static ExamTask exam(int i, long bytes) {
        return new ExamTask("e" + i, ImageRef.parse("img" + i), null, "size=" + bytes, bytes, "sha");
    }

    private static void assertEveryExamOnce(List<ExamTask> todo, List<List<ExamTask>> batches) {
        Set<String> seen = new HashSet<>();
        batches.forEach(b -> b.forEach(t -> assertTrue(seen.add(t.examId()), "twice: " + t.examId())));
        assertEquals(todo.size(), seen.size());
    }

    @Test
    void fewExamsGetATaskEach() {
        List<ExamTask> todo = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            todo.add(exam(i, 30_000 + i));
        }
        List<List<ExamTask>> batches = ExamBatches.of(todo, 2, MEASURE);
        assertEquals(8, batches.size());
        assertEquals("e7", batches.get(0).get(0).examId(), "largest first");
        assertEveryExamOnce(todo, batches);
    }

    @Test
    void tinyExamsArePackedAndLargeOnesKeepATask() {
        List<ExamTask> todo = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            todo.add(exam(i, 6_000));
        }
        for (int i = 0; i < 3; i++) {
            todo.add(exam(100_000 + i, 500L << 20)); // three CTs of 500 MiB
        }
        List<List<ExamTask>> batches = ExamBatches.of(todo, 2, MEASURE);
        assertEveryExamOnce(todo, batches);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, batches.get(i).size(), "a large exam is a task of its own, first");
        }
        long budget = ExamBatches.maxBatchBytes(todo, 2, MEASURE);
        assertTrue(budget < 500L << 20);
        for (List<ExamTask> b : batches.subList(3, batches.size())) {
            assertTrue(b.stream().mapToLong(ExamTask::sizeBytes).sum() <= budget);
        }
    }

    @Test
    void aLargeRunKeepsAtLeastMinBatches() {
        List<ExamTask> todo = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            todo.add(exam(i, 6_000));
        }
        List<List<ExamTask>> batches = ExamBatches.of(todo, 2, MEASURE);
        assertEveryExamOnce(todo, batches);
        assertTrue(batches.size() >= ExamBatches.MIN_BATCHES && batches.size() <= ExamBatches.MIN_BATCHES + 1,
                "batches: " + batches.size());
        assertTrue(ExamBatches.of(todo, 1000, MEASURE).size() >= 4000, "four per core on a large cluster");
    }

    @Test
    void anAnalyzerWithoutBatchBudgetGivesEveryExamATask() {
        List<ExamTask> todo = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            todo.add(exam(i, 6_000));
        }
        List<List<ExamTask>> batches = ExamBatches.of(todo, 2, 0);
        assertEquals(500, batches.size());
        assertEveryExamOnce(todo, batches);
    }
}
