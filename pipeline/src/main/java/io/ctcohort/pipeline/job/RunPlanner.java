package io.ctcohort.pipeline.job;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.Status;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.InputFingerprint;
import io.ctcohort.pipeline.exam.ModelIdentity;
import io.ctcohort.pipeline.exam.StagingStore;
import io.ctcohort.pipeline.manifest.Manifest;
import io.ctcohort.pipeline.manifest.ManifestReader;
import io.ctcohort.pipeline.manifest.RowSlices;
import io.ctcohort.pipeline.privacy.Deidentification;
import io.ctcohort.pipeline.privacy.ManifestPseudonyms;
import io.ctcohort.pipeline.publish.RunLedger;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a run: which exams are carried over from the previous complete run, which are taken from the
 * staging folder of an interrupted attempt, and how the rest are cut into batches. Fingerprints are
 * computed on the executors ({@link ExamFingerprints}) and compared with the previous run's ledger
 * ({@code publish.RunLedger}) in a join; the plan is written to the run's staging folder ({@value #PLAN}) and read back, so that the
 * processing and the tables see one decision per exam however often Spark recomputes a partition.
 */
final class RunPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(RunPlanner.class);
    /** The plan's folder inside the run's staging folder (not a staged result: its name starts with _). */
    static final String PLAN = "_plan";

    private final RunContext ctx;

    RunPlanner(RunContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The manifest, read and validated (refused before any work), with the run's identifiers applied, as
     * the rows the executors read ({@link ManifestRows}).
     */
    ManifestRows manifest() {
        List<String> required = ctx.analyzer().needsMask()
                ? List.of(Manifest.EXAM_ID, Manifest.IMAGE_URI, Manifest.MASK_URI)
                : List.of(Manifest.EXAM_ID, Manifest.IMAGE_URI);
        Manifest manifest = ManifestPseudonyms.apply(
                new ManifestReader(required, ExamsTable.reservedColumns()).read(ctx.spark(), ctx.options().manifest()),
                ctx.deidentification());
        ManifestPseudonyms.refuseOriginalUids(manifest, ctx.deidentification());
        boolean needsMask = ctx.analyzer().needsMask();
        // Shared tables hold no image location: it stays in the custodian's manifest and staging.
        Manifest shared = ctx.deidentification().keepIdentifiers() ? manifest
                : manifest.without(Deidentification.CUSTODIAN_COLUMNS);
        return new ManifestRows(
                RowSlices.of(ctx.spark(), manifest.entries(), e -> PlanRows.input(e, needsMask), PlanRows.INPUT),
                shared.toDataFrame(ctx.spark()));
    }

    /** The plan of run {@code runId} over the manifest; under the output lock (it writes to staging). */
    RunPlan plan(ManifestRows manifest, OutputLayout layout, String runId, Optional<String> latest) throws IOException {
        long t0 = System.nanoTime();
        Configuration hconf = ctx.spark().sparkContext().hadoopConfiguration();
        ModelIdentity model = ctx.analyzer().identity();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
        // One broadcast for the run's tasks that open files: fingerprinting, and staging's reads and writes.
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hconf));
        StagingStore staging = new StagingStore(layout.stagingDir(runId).toString(), conf, layout.isObjectStore());
        Optional<String> previous = ctx.options().incremental() && latest.isPresent()
                ? usablePrevious(layout, latest.get()) : Optional.empty();

        Dataset<Row> tasks = manifest.inputs().mapPartitions(
                new ExamFingerprints(conf, ctx.analyzer().needsMask(), model.sha256()), Encoders.row(PlanRows.TASK));
        Column isCarried = functions.lit(false);
        if (previous.isPresent()) {
            tasks = tasks.join(unchanged(layout, previous.get(), model), tasks.col(PlanRows.EXAM_ID)
                    .equalTo(functions.col("prev_exam_id")).and(RunLedger.hash(tasks.col(PlanRows.FINGERPRINT))
                            .equalTo(functions.col("prev_fingerprint"))).and(tasks.col(PlanRows.MODEL_SHA256)
                            .equalTo(functions.col("prev_sha256"))), "left");
            isCarried = functions.col("prev_exam_id").isNotNull();
        }
        Dataset<Row> staged = staged(staging);
        if (staged != null) {
            tasks = tasks.join(staged, tasks.col(PlanRows.KEY).equalTo(staged.col("staged_key")), "left");
        } else {
            tasks = tasks.withColumn(PlanRows.STAGED_FILE, functions.lit(null).cast(DataTypes.StringType));
        }
        // Carried over first (as before: an unchanged exam is copied, even where staging holds it too).
        Column decision = functions.when(isCarried, PlanRows.CARRIED)
                .when(functions.col(PlanRows.STAGED_FILE).isNotNull(), PlanRows.STAGED)
                .otherwise(PlanRows.TODO);
        List<Column> columns = new ArrayList<>();
        for (String c : PlanRows.TASK.fieldNames()) {
            columns.add(tasks.col(c));
        }
        columns.add(decision.as(PlanRows.DECISION));
        columns.add(functions.col(PlanRows.STAGED_FILE));
        String planDir = layout.stagingDir(runId) + "/" + PLAN;
        Dataset<Row> planned = tasks.select(columns.toArray(Column[]::new));
        // The counts are observed while the plan is written (no second job): per decision, exams and
        // input bytes; and the exams with a reference.
        Column isTodo = isDecision(PlanRows.TODO);
        Observation counts = new Observation("plan counts");
        planned.observe(counts, functions.count(functions.lit(1)).as("exams"),
                        countWhere(isDecision(PlanRows.CARRIED)).as("carried"),
                        countWhere(isDecision(PlanRows.STAGED)).as("reused"),
                        countWhere(isTodo).as("todo"),
                        functions.coalesce(functions.sum(functions.when(isTodo, functions.greatest(
                                functions.col(PlanRows.SIZE_BYTES), functions.lit(1L)))), functions.lit(0L))
                                .as("todo_bytes"),
                        functions.count(PlanRows.REFERENCE_URI).as("validated"))
                .write().mode(SaveMode.Overwrite).parquet(planDir);
        // Read with the columns it was written with: no job reads the files' footers to find them.
        Dataset<Row> rows = ctx.spark().read().schema(nullable(planned.schema())).parquet(planDir);
        long tPlanned = System.nanoTime();

        Map<String, Object> counted = observed(counts);
        long exams = (Long) counted.get("exams");
        long carried = (Long) counted.get("carried");
        long reused = (Long) counted.get("reused");
        long todo = (Long) counted.get("todo");
        long todoBytes = (Long) counted.get("todo_bytes");
        long validated = (Long) counted.get("validated");
        long budget = ExamBatches.maxBatchBytes(todoBytes, ctx.spark().sparkContext().defaultParallelism(),
                ctx.analyzer().taskInputBytes());
        SparkBatches.Batches batches = todo == 0 ? SparkBatches.Batches.NONE
                : SparkBatches.of(rows.filter(isTodo), budget);
        long tBatched = System.nanoTime();
        ctx.err().printf(java.util.Locale.ROOT,
                "%s: plan: fingerprints, previous run and staging %.1f s, batches %.1f s%n",
                ctx.analyzer().jobName(), (tPlanned - t0) / 1e9, (tBatched - tPlanned) / 1e9);
        return new RunPlan(runId, latest, previous, manifest, model, layout, staging, rows, exams, carried, reused,
                todo, validated, batches);
    }

    private static Column isDecision(String decision) {
        return functions.col(PlanRows.DECISION).equalTo(decision);
    }

    /** Rows where the condition holds (0, not null, over no rows). */
    private static Column countWhere(Column condition) {
        return functions.count(functions.when(condition, true));
    }

    /** The metrics an action observed; they are there once it has returned. */
    private static Map<String, Object> observed(Observation observation) throws IOException {
        try {
            return observation.getAsJava();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the plan's counts");
        }
    }

    /** A schema as a Parquet read gives it back: every column nullable. */
    private static StructType nullable(StructType schema) {
        StructType out = new StructType();
        for (StructField f : schema.fields()) {
            out = out.add(f.name(), f.dataType(), true);
        }
        return out;
    }

    /**
     * The previous run's exams of this model that an unchanged exam may be carried over from: ok, with a
     * fingerprint that is not {@link InputFingerprint#MISSING}. Read from its ledger ({@link RunLedger}),
     * not its exams table's many files.
     */
    private Dataset<Row> unchanged(OutputLayout layout, String runId, ModelIdentity model) throws IOException {
        return RunLedger.read(ctx.spark(), layout, runId)
                .filter(functions.col("model_id").equalTo(model.modelId())
                        .and(functions.col("status").equalTo(Status.OK.value()))
                        .and(functions.col(RunLedger.FINGERPRINT_HASH).isNotNull()))
                .select(functions.col("exam_id").as("prev_exam_id"),
                        functions.col(RunLedger.FINGERPRINT_HASH).as("prev_fingerprint"),
                        functions.col("model_sha256").as("prev_sha256"));
    }

    /**
     * The ok results an interrupted attempt of this run staged, as (key, file), read on the executors;
     * null where staging holds none. A key staged twice is taken from the last file by name, as before.
     * A result staged by an older version (its format below {@link ExamResult#FORMAT}) is not reused.
     */
    private Dataset<Row> staged(StagingStore staging) throws IOException {
        List<String> names = new ArrayList<>(staging.names());
        if (names.isEmpty()) {
            return null;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
        JavaRDD<Row> pairs = jsc.parallelize(names, Math.max(1, Math.min(names.size(),
                ctx.spark().sparkContext().defaultParallelism() * 4))).flatMap(name -> {
            List<Row> out = new ArrayList<>();
            for (ExamResult r : staging.read(name)) {
                if (r.ok() && r.format() >= ExamResult.FORMAT) {
                    out.add(RowFactory.create(ExamTask.key(r), name));
                }
            }
            return out.iterator();
        });
        StructType schema = new StructType().add("staged_key", DataTypes.StringType, false)
                .add(PlanRows.STAGED_FILE, DataTypes.StringType, false);
        return ctx.spark().createDataFrame(pairs, schema).groupBy("staged_key")
                .agg(functions.max(PlanRows.STAGED_FILE).as(PlanRows.STAGED_FILE));
    }

    /** The previous run, if its rows can be carried over; else a warning and every exam is processed. */
    private Optional<String> usablePrevious(OutputLayout layout, String runId) {
        try {
            if (!layout.fs().exists(layout.table(runId, OutputLayout.BIOMARKERS))) {
                // Written before biomarkers: carrying its exams over would leave them without biomarker rows.
                ctx.err().println("warning: previous run " + runId + " has no " + OutputLayout.BIOMARKERS
                        + " table (written by an older version); processing every exam");
                return Optional.empty();
            }
            if (!RunLedger.exists(layout, runId)) {
                // Its exams table alone would be read file by file: one run processes everything instead.
                ctx.err().println("warning: previous run " + runId + " has no " + RunLedger.FOLDER
                        + " (written by an older version); processing every exam");
                return Optional.empty();
            }
            RunLedger.read(ctx.spark(), layout, runId); // lists its files: an empty ledger is refused here
            return Optional.of(runId);
        } catch (IOException | RuntimeException e) {
            // An unreadable or older-layout previous run: process everything rather than guess.
            LOG.warn("previous run {} not usable for --incremental ({}); processing every exam", runId, e.toString());
            ctx.err().println("warning: previous run " + runId + " not usable for --incremental: " + e.getMessage());
            return Optional.empty();
        }
    }
}
