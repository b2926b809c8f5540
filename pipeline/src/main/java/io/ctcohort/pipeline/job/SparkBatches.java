package io.ctcohort.pipeline.job;

import io.ctcohort.pipeline.exam.ExamTask;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The exams to process cut into batches in Spark, one batch per partition, largest exams first
 * (the rule of {@link ExamBatches}), without a per-exam list on the driver: the exams are sorted
 * ({@link ExamBatches#ORDER}) across partitions, each sorted partition is packed by its own
 * {@link ExamBatches.Packer} (a first pass returns one count per partition), and each exam goes to
 * the partition of its batch, in sorted order. A batch never spans two sorted partitions, so a run has
 * at most one partly filled batch more per sorted partition than packing one list would give.
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
        // so that both passes below see the same sorted partitions.
        Dataset<Row> sortedRows = todo.orderBy(functions.col(PlanRows.SIZE_BYTES).desc(),
                functions.col(PlanRows.EXAM_ID)).persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<ExamTask> sorted = sortedRows.javaRDD().map(PlanRows::examTask);
        List<Integer> perPartition = sorted.mapPartitions(it -> {
            ExamBatches.Packer packer = new ExamBatches.Packer(budget);
            int n = 0;
            while (it.hasNext()) {
                n += packer.startsBatch(it.next().sizeBytes()) ? 1 : 0;
            }
            return List.of(n).iterator();
        }).collect();
        int[] first = new int[perPartition.size()];
        int count = 0;
        for (int i = 0; i < first.length; i++) {
            first[i] = count;
            count += perPartition.get(i);
        }
        if (count == 0) {
            sortedRows.unpersist(false);
            return Batches.NONE;
        }
        JavaPairRDD<Slot, ExamTask> slots = JavaPairRDD.fromJavaRDD(sorted.mapPartitionsWithIndex(
                (Integer part, Iterator<ExamTask> it) -> {
                    ExamBatches.Packer packer = new ExamBatches.Packer(budget);
                    List<Tuple2<Slot, ExamTask>> out = new ArrayList<>();
                    int batch = first[part] - 1;
                    long seq = (long) part << 32;
                    while (it.hasNext()) {
                        ExamTask t = it.next();
                        batch += packer.startsBatch(t.sizeBytes()) ? 1 : 0;
                        out.add(new Tuple2<>(new Slot(batch, seq++), t));
                    }
                    return out.iterator();
                }, true));
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
