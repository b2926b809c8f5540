package io.ctcohort.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.exam.ExamTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Batching in Spark against the list rule ({@link ExamBatches}), on real local Spark. */
class SparkBatchesTest {
    private static final long MEASURE = 64L << 20;

    private static ExamTask exam(int i, long bytes) {
        return new ExamTask("e" + i, io.ctcohort.engine.input.ImageRef.parse("/img" + i + ".nii.gz"), null, "size=" + bytes,
                bytes, "sha");
    }

    private static Dataset<Row> rows(SparkSession spark, List<ExamTask> tasks, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (ExamTask t : tasks) {
            Row input = RowFactory.create(t.examId(), t.imageUri().toString(), null, null, null, null, null);
            rows.add(PlanRows.task(input, t));
        }
        return spark.createDataFrame(rows, PlanRows.TASK).repartition(partitions);
    }

    /** The batches as Spark will run them: one list per partition, in partition order. */
    private static List<List<ExamTask>> batches(SparkBatches.Batches b) {
        List<List<ExamTask>> out = b.tasks().glom().collect();
        b.release();
        return out;
    }

    @Test
    void anyPartitioningOfThePlanGivesExactlyTheListsBatches() {
        SparkSession spark = TestSpark.get();
        List<ExamTask> todo = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            todo.add(exam(i, 1_000 + (i * 7919L) % 50_000)); // sizes in a scrambled order
        }
        todo.add(exam(900, 500L << 20)); // one large CT
        long budget = ExamBatches.maxBatchBytes(todo, 2, MEASURE);
        List<List<ExamTask>> expected = ExamBatches.of(todo, 2, MEASURE);
        for (int partitions : new int[] {1, 3, 8}) {
            SparkBatches.Batches b = SparkBatches.of(rows(spark, todo, partitions), budget);
            assertEquals(expected.size(), b.count(), partitions + " plan partitions");
            assertEquals(expected, batches(b), "same exams, same batches, same order: " + partitions + " partitions");
        }
    }

    @Test
    void everyExamOnceLargestFirstWithinBudget() {
        SparkSession spark = TestSpark.get();
        List<ExamTask> todo = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            todo.add(exam(i, 6_000 + i % 17));
        }
        for (int i = 0; i < 3; i++) {
            todo.add(exam(10_000 + i, 500L << 20));
        }
        long budget = ExamBatches.maxBatchBytes(todo, 2, MEASURE);
        SparkBatches.Batches b = SparkBatches.of(rows(spark, todo, 4), budget);
        List<List<ExamTask>> got = batches(b);
        assertEquals(b.count(), got.size());
        Set<String> seen = new HashSet<>();
        got.forEach(batch -> batch.forEach(t -> assertTrue(seen.add(t.examId()), "twice: " + t.examId())));
        assertEquals(todo.size(), seen.size(), "every exam once");
        for (int i = 0; i < 3; i++) {
            assertEquals(1, got.get(i).size(), "a large exam is a task of its own, first");
        }
        assertEquals(ExamBatches.of(todo, 2, MEASURE).size(), got.size(), "no partly filled batch more than the list's");
        for (List<ExamTask> batch : got.subList(3, got.size())) {
            assertTrue(batch.stream().mapToLong(ExamTask::sizeBytes).sum() <= budget);
            for (int k = 1; k < batch.size(); k++) {
                assertTrue(ExamBatches.ORDER.compare(batch.get(k - 1), batch.get(k)) < 0, "sorted within a batch");
            }
        }
    }
}
