package io.ctcohort.pipeline.job;

import io.ctcohort.pipeline.exam.ExamTask;
import java.io.Serializable;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The exams to process cut into batches in Spark, one batch per partition, largest exams first, by the
 * rule of {@link ExamBatches}, without a per-exam list on the driver: the exams are sorted
 * ({@link ExamBatches#ORDER}) in one partition, which is packed by one {@link ExamBatches.Packer} (a first
 * pass returns the batch count), and each exam goes to the partition of its batch, in sorted order. The
 * batches are exactly those of the list rule. One sorted partition rather than a range-partitioned sort:
 * a range sort samples its input in a job of its own first, and a batch could not span two of its
 * partitions (at 10k exams, 0.6 s of planning and 5 % more tasks, measured); sorting 10^6 plan rows in one
 * task takes seconds of a run that processes them.
 */
final class SparkBatches {
    private SparkBatches() {
    }

    /** Batches of the plan's rows to process (one per partition, null where none), and how many there are. */
    record Batches(JavaRDD<ExamTask> tasks, int count, Dataset<Row> sorted) {
        static final Batches NONE = new Batches(null, 0, null);

        /** Drops the cached sorted exams, once the batches' tasks have run (their shuffle output stays). */
        void release() {
            if (sorted != null) {
                sorted.unpersist(false);
            }
        }
    }

    /**
     * @param todo   rows with {@link PlanRows#TASK}'s columns
     * @param budget input bytes per batch ({@link ExamBatches#maxBatchBytes(long, int, long)})
     */
    static Batches of(Dataset<Row> todo, long budget) {
        // Cached as Spark's compressed columns, not as ExamTask objects (0.4 GB of a 10^6-exam run's heap),
        // so that both passes below see the same sorted exams.
        Dataset<Row> sortedRows = todo.coalesce(1).sortWithinPartitions(functions.col(PlanRows.SIZE_BYTES).desc(),
                functions.col(PlanRows.EXAM_ID)).persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<ExamTask> sorted = sortedRows.javaRDD().map(PlanRows::examTask);
        int count = sorted.mapPartitions(it -> {
            ExamBatches.Packer packer = new ExamBatches.Packer(budget);
            int n = 0;
            while (it.hasNext()) {
                n += packer.startsBatch(it.next().sizeBytes()) ? 1 : 0;
            }
            return List.of(n).iterator();
        }).collect().stream().mapToInt(Integer::intValue).sum();
        if (count == 0) {
            sortedRows.unpersist(false);
            return Batches.NONE;
        }
        // Slotted one exam at a time as the shuffle consumes them: the partition may hold 10^6 exams.
        JavaPairRDD<Slot, ExamTask> slots = sorted.mapPartitionsToPair(it -> {
            ExamBatches.Packer packer = new ExamBatches.Packer(budget);
            int[] batch = {-1};
            long[] seq = {0};
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
                    .map(t -> {
                        batch[0] += packer.startsBatch(t.sizeBytes()) ? 1 : 0;
                        return new Tuple2<>(new Slot(batch[0], seq[0]++), t);
                    }).iterator();
        });
        return new Batches(slots.repartitionAndSortWithinPartitions(new ByBatch(count)).values(), count, sortedRows);
    }

    /** Where an exam goes: its batch (= partition, largest first) and its place in the sorted order. */
    record Slot(int batch, long seq) implements Comparable<Slot>, Serializable {
        @Override
        public int compareTo(Slot o) {
            return Long.compare(seq, o.seq);
        }
    }

    /** Partition = batch number. */
    static final class ByBatch extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int batches;

        ByBatch(int batches) {
            this.batches = batches;
        }

        @Override
        public int numPartitions() {
            return batches;
        }

        @Override
        public int getPartition(Object key) {
            return ((Slot) key).batch();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByBatch b && b.batches == batches;
        }

        @Override
        public int hashCode() {
            return batches;
        }
    }
}
