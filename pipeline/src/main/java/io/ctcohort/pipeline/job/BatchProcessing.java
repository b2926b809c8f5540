package io.ctcohort.pipeline.job;

import io.ctcohort.pipeline.PipelineVersion;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.StagingStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;

/**
 * The processing step of a run: the plan's batches analyzed on the executors, one batch per Spark
 * task ({@link ExamTaskFunction}), each batch's results published to staging in one file. Returns
 * where the tables find this run's results: the staged files of its batches and of the exams reused
 * from an interrupted attempt, with the keys to take from each.
 */
final class BatchProcessing {
    private final RunContext ctx;

    BatchProcessing(RunContext ctx) {
        this.ctx = ctx;
    }

    /** Analyzes the plan's batches; the staged sources of every exam this run publishes from staging. */
    JavaRDD<StagingStore.Source> process(RunPlan plan) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
        SparkBatches.Batches batches = plan.batches();
        List<JavaRDD<StagingStore.Source>> sources = new ArrayList<>();
        if (batches.count() > 0) {
            run(batches, plan.todo(), plan.staging(), jsc);
            // The same shuffled partitions the tasks ran (their shuffle output is reused): one file per batch.
            sources.add(batches.tasks().mapPartitions(it -> {
                List<ExamTask> batch = new ArrayList<>();
                it.forEachRemaining(batch::add);
                if (batch.isEmpty()) {
                    return List.<StagingStore.Source>of().iterator();
                }
                return List.of(new StagingStore.Source(StagingStore.batchName(batch),
                        batch.stream().map(ExamTask::key).toList())).iterator();
            }));
        }
        if (plan.reused() > 0) {
            sources.add(plan.withDecision(PlanRows.STAGED).groupBy(PlanRows.STAGED_FILE)
                    .agg(functions.collect_list(PlanRows.KEY).as("keys")).javaRDD()
                    .map((Row r) -> new StagingStore.Source(r.getAs(PlanRows.STAGED_FILE),
                            new ArrayList<>(r.getList(r.fieldIndex("keys"))))));
        }
        if (sources.isEmpty()) {
            return jsc.emptyRDD();
        }
        JavaRDD<StagingStore.Source> all = sources.size() == 1 ? sources.get(0) : sources.get(0).union(sources.get(1));
        int slices = Math.max(1, Math.min(all.getNumPartitions(), ctx.spark().sparkContext().defaultParallelism() * 4));
        return all.coalesce(slices);
    }

    private void run(SparkBatches.Batches batches, long exams, StagingStore staging, JavaSparkContext jsc) {
        String job = ctx.analyzer().jobName();
        // One batch per partition, largest first: Spark starts partitions in order, so big exams begin
        // early and never queue behind each other on one task (longest-processing-time-first).
        LongAccumulator done = ctx.spark().sparkContext().longAccumulator("exams done");
        Broadcast<HadoopConf> conf = staging.hadoopConf(); // the run's one broadcast of the Hadoop settings
        jsc.setJobDescription(job + ": " + exams + " exams in " + batches.count() + " tasks");
        ProgressReporter progress = ctx.options().progress()
                ? new ProgressReporter(job, done, exams, ctx.err(), 5000).start() : null;
        try {
            batches.tasks().foreachPartition(new ExamTaskFunction(ctx.analyzer(), conf, staging, done,
                    PipelineVersion.get(), ctx.options().readAttempts()));
        } finally {
            if (progress != null) {
                progress.finish(job);
            }
            jsc.setJobDescription(null);
        }
    }
}
