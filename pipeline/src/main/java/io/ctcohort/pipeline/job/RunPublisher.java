package io.ctcohort.pipeline.job;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.Status;
import io.ctcohort.core.tables.ValidationTable;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ModelIdentity;
import io.ctcohort.pipeline.exam.StagingStore;
import io.ctcohort.pipeline.publish.BucketedTables;
import io.ctcohort.pipeline.publish.RunLedger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The publishing step of a run: its tables (exams, measurements, biomarkers, validation) = the rows
 * carried over from the previous run + the staged results, written into the run's folder
 * ({@link #write}); then, under a lock the caller has checked, _SUCCESS and LATEST, staging removed and
 * old runs pruned ({@link #commit}). Every exam's result is read from the one staged file that holds it,
 * on the executors (never via the driver).
 */
final class RunPublisher {

    private final RunContext ctx;

    RunPublisher(RunContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes the run's tables and its ledger, and returns what the run did (counted from the ledger).
     *
     * @param sources the staged files of this run's processed and reused exams ({@link BatchProcessing})
     */
    RunSummary write(RunPlan plan, JavaRDD<StagingStore.Source> sources, double processSeconds, long t0)
            throws IOException {
        long tPublish = System.nanoTime();
        OutputLayout layout = plan.layout();
        String runId = plan.runId();
        ModelIdentity model = plan.model();
        Dataset<Row> results = stagedResults(plan.staging(), sources);
        // Only the bucket files holding a new, changed or removed exam are written; the rest are carried.
        Optional<BucketedTables.Previous> previous = Optional.empty();
        if (plan.previousRun().isPresent()) {
            String prevRun = plan.previousRun().get();
            previous = Optional.of(new BucketedTables.Previous(prevRun, carriedKeys(plan, prevRun)));
        }
        // Read by the exams table, the manifest hashes and the dirty buckets: its slices shipped once.
        Dataset<Row> sharedRows = plan.manifest().shared().persist(StorageLevel.MEMORY_AND_DISK());
        new BucketedTables(ctx.spark(), layout, runId, ctx.err()).publish(plan.exams(), sharedRows, results, previous);
        sharedRows.unpersist();
        results.unpersist();
        previous.ifPresent(p -> p.keep().unpersist());

        // Counts from the run's ledger, in one small job: rows per table, and this model's exams by status
        // and error class.
        Column thisModel = functions.col("model_id").equalTo(model.modelId());
        long measurementRows = 0;
        long biomarkerRows = 0;
        long validationRows = 0;
        long ok = 0;
        long failed = 0;
        Map<String, Long> byClass = new HashMap<>();
        for (Row r : RunLedger.read(ctx.spark(), layout, runId)
                .groupBy(thisModel.as("this_model"), functions.col("status"),
                        functions.coalesce(functions.col("error_class"), functions.lit("(none)")).as("error_class"))
                .agg(functions.count(functions.lit(1)).as("exams"),
                        functions.sum(RunLedger.MEASUREMENT_ROWS).as("m"), functions.sum(RunLedger.BIOMARKER_ROWS)
                                .as("b"), functions.sum(RunLedger.VALIDATION_ROWS).as("v"))
                .collectAsList()) {
            measurementRows += r.<Long>getAs("m");
            biomarkerRows += r.<Long>getAs("b");
            validationRows += r.<Long>getAs("v");
            if (!r.<Boolean>getAs("this_model")) {
                continue;
            }
            long exams = r.<Long>getAs("exams");
            if (Status.OK.value().equals(r.getAs("status"))) {
                ok += exams;
            } else if (Status.FAILED.value().equals(r.getAs("status"))) {
                failed += exams;
                byClass.merge(r.getAs("error_class"), exams, Long::sum);
            }
        }
        // Most frequent class first, then by name.
        Map<String, Long> failedByClass = new LinkedHashMap<>();
        byClass.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> failedByClass.put(e.getKey(), e.getValue()));
        return new RunSummary(runId, layout.root().toString(), model.modelId(), Math.toIntExact(plan.exams()),
                Math.toIntExact(plan.todo()), Math.toIntExact(plan.reused()), Math.toIntExact(plan.carried()), ok,
                failed, measurementRows, biomarkerRows, validationRows, (System.nanoTime() - t0) / 1e9,
                processSeconds, (System.nanoTime() - tPublish) / 1e9, failedByClass, ctx.deidentification().label());
    }

    /** Marks the written run complete (_SUCCESS, then LATEST), removes staging, prunes, and says what the run did. */
    void commit(RunPlan plan, RunSummary summary, double planSeconds) throws IOException {
        String job = ctx.analyzer().jobName();
        OutputLayout layout = plan.layout();
        layout.commit(plan.runId(), summary.toJson());
        ctx.err().printf(Locale.ROOT,
                "%s: timings: plan %.1f s, process %.1f s, publish %.1f s (%d staging files written)%n",
                job, planSeconds, summary.processSeconds(), summary.publishSeconds(), plan.batches().count());
        layout.clearStaging(plan.runId());
        if (ctx.options().keepRuns() > 0) {
            List<String> pruned = layout.prune(ctx.options().keepRuns());
            if (!pruned.isEmpty()) {
                ctx.err().printf("%s: pruned runs %s (keeping %d)%n", job, pruned, ctx.options().keepRuns());
            }
        }
        ctx.err().println(job + ": " + summary.describe());
        ctx.err().println(job + ": " + summary.describeFailures());
        if (plan.validated() > 0) {
            ctx.err().println(job + ": " + describeValidation(layout, plan.runId(), plan.model()));
        }
    }




    /**
     * (exam_id, model_id) of the previous run's rows this run keeps: its unchanged exams, and other
     * models' rows of exams still in the manifest. A join with the plan, in Spark.
     */
    private Dataset<Row> carriedKeys(RunPlan plan, String prevRun) throws IOException {
        Dataset<Row> previous = RunLedger.read(ctx.spark(), plan.layout(), prevRun).select("exam_id", "model_id");
        Dataset<Row> inManifest = plan.rows().select(functions.col(PlanRows.EXAM_ID).as("exam_id"),
                functions.col(PlanRows.DECISION));
        return previous.join(inManifest, seq("exam_id"))
                .filter(functions.col("model_id").notEqual(plan.model().modelId())
                        .or(functions.col(PlanRows.DECISION).equalTo(PlanRows.CARRIED)))
                .select("exam_id", "model_id")
                .persist(StorageLevel.MEMORY_AND_DISK()); // read by each table and the ledger
    }

    /** Validation exams of this model and their failures by class, from the written table (one small read). */
    private String describeValidation(OutputLayout layout, String runId, ModelIdentity model) {
        Dataset<Row> v = ctx.spark().read().parquet(layout.table(runId, OutputLayout.VALIDATION).toString())
                .filter(functions.col("model_id").equalTo(model.modelId()));
        long exams = v.select("exam_id").distinct().count();
        Map<String, Long> failed = new LinkedHashMap<>();
        for (Row r : v.filter(functions.col("status").equalTo(Status.FAILED.value())).groupBy("error_class").count()
                .orderBy(functions.col("count").desc(), functions.col("error_class")).collectAsList()) {
            failed.put(r.getAs("error_class"), r.<Long>getAs("count"));
        }
        return "validation: " + exams + " exams against a reference, " + failed.values().stream()
                .mapToLong(Long::longValue).sum() + " failed" + (failed.isEmpty() ? "" : " " + failed)
                + " (the exams themselves are not failed by it)";
    }

    /** Results of this run's exams, read back from staging on the executors (never via the driver). */
    private Dataset<Row> stagedResults(StagingStore staging, JavaRDD<StagingStore.Source> sources) {
        StructType schema = new StructType()
                .add("exam", ExamsTable.RESULT_KEYED, false)
                .add("measurements", DataTypes.createArrayType(MeasurementsTable.SCHEMA, false), false)
                .add("biomarkers", DataTypes.createArrayType(BiomarkersTable.SCHEMA, false), false)
                .add("validation", DataTypes.createArrayType(ValidationTable.SCHEMA, false), false);
        // Rows made one result at a time as Spark consumes them (a staged file holds up to ten thousand exams).
        JavaRDD<Row> rows = sources.flatMap(source -> staging.take(source).stream().map(r -> RowFactory.create(
                ResultRows.examRow(r),
                // Spark's Row encoder takes a Scala Seq for an array column.
                scala.jdk.javaapi.CollectionConverters.asScala(ResultRows.measurementRows(r)).toSeq(),
                scala.jdk.javaapi.CollectionConverters.asScala(ResultRows.biomarkerRows(r)).toSeq(),
                scala.jdk.javaapi.CollectionConverters.asScala(ResultRows.validationRows(r)).toSeq())).iterator());
        Dataset<Row> df = ctx.spark().createDataFrame(rows, schema);
        return df.persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static scala.collection.immutable.Seq<String> seq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
    }
}
