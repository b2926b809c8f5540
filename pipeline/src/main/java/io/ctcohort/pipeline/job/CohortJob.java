package io.ctcohort.pipeline.job;

import io.ctcohort.core.cli.LockOptions;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ValidationTable;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.Status;
import io.ctcohort.pipeline.PipelineVersion;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.InputFingerprint;
import io.ctcohort.pipeline.exam.ModelIdentity;
import io.ctcohort.pipeline.exam.StagingStore;
import io.ctcohort.pipeline.manifest.Manifest;
import io.ctcohort.pipeline.manifest.ManifestEntry;
import io.ctcohort.pipeline.manifest.ManifestReader;
import io.ctcohort.pipeline.privacy.Deidentification;
import io.ctcohort.pipeline.privacy.ManifestPseudonyms;
import io.ctcohort.pipeline.publish.RunPublisher;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code segment} or {@code measure} over a manifest, exactly once:
 * <ol>
 * <li>read and validate the manifest (refused before any work), fingerprint every input;</li>
 * <li>plan: with --incremental, exams whose (exam_id, fingerprint, model sha256) has an ok row in
 *     the LATEST run are carried over; exams already finished in the staging folder of an
 *     interrupted attempt are reused; the rest are processed;</li>
 * <li>process: batches of exams ({@link ExamBatches}: several small exams per Spark task, a large
 *     one alone), largest first, each batch's results published to staging in one file;</li>
 * <li>publish: the run's tables (exams, measurements, biomarkers, validation) = carried rows + staged results,
 *     in a new run folder where only the buckets holding a changed exam are written ({@link RunPublisher}),
 *     then _SUCCESS, then LATEST; staging is removed and old runs pruned.</li>
 * </ol>
 * A kill at any point leaves LATEST on the previous complete run; the re-run resumes the
 * interrupted run's staging folder.
 */
public final class CohortJob {
    private static final Logger LOG = LoggerFactory.getLogger(CohortJob.class);

    /**
     * @param keepRuns         prune to this many complete runs after publishing; 0 keeps all
     * @param waitForLock      wait for another job on the same output root to finish instead of refusing
     * @param lockStaleSeconds a job whose lock has no heartbeat for this long is taken for dead
     */
    public record Options(String manifest, String out, boolean incremental, int keepRuns,
                          boolean progress, int readAttempts, boolean waitForLock, int lockStaleSeconds) {
        public static final int DEFAULT_LOCK_STALE_SECONDS = LockOptions.DEFAULT_STALE_SECONDS;

        public Options {
            if (keepRuns < 0) {
                throw new IllegalArgumentException("--keep-runs must be >= 0");
            }
            if (lockStaleSeconds < 1) {
                throw new IllegalArgumentException("--lock-stale-seconds must be >= 1");
            }
        }

        public Options(String manifest, String out, boolean incremental, int keepRuns,
                       boolean progress, int readAttempts) {
            this(manifest, out, incremental, keepRuns, progress, readAttempts, false,
                    DEFAULT_LOCK_STALE_SECONDS);
        }

        public static Options of(String manifest, String out, boolean incremental) {
            return new Options(manifest, out, incremental, 0, true, 3);
        }
    }

    private final SparkSession spark;
    private final ExamAnalyzer analyzer;
    private final Options options;
    private final PrintStream err;
    private final Deidentification deidentification;

    /** A job whose exams table holds the manifest's ids as given and no image location ({@link Deidentification#SHARED}). */
    public CohortJob(SparkSession spark, ExamAnalyzer analyzer, Options options, PrintStream err) {
        this(spark, analyzer, options, Deidentification.SHARED, err);
    }

    public CohortJob(SparkSession spark, ExamAnalyzer analyzer, Options options, Deidentification deidentification,
                     PrintStream err) {
        this.spark = spark;
        this.analyzer = analyzer;
        this.options = options;
        this.err = err;
        this.deidentification = deidentification;
    }

    public RunSummary run() throws IOException {
        long t0 = System.nanoTime();
        String job = analyzer.jobName();
        List<String> required = analyzer.needsMask()
                ? List.of(Manifest.EXAM_ID, Manifest.IMAGE_URI, Manifest.MASK_URI)
                : List.of(Manifest.EXAM_ID, Manifest.IMAGE_URI);
        Manifest manifest = ManifestPseudonyms.apply(
                new ManifestReader(required, ExamsTable.reservedColumns()).read(spark, options.manifest()),
                deidentification);
        ManifestPseudonyms.refuseOriginalUids(manifest, deidentification);

        CloudCommitters.configure(spark, options.out());
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        OutputLayout layout = new OutputLayout(options.out(), hconf);
        ModelIdentity model = analyzer.identity();
        long tFingerprints = System.nanoTime();
        List<ExamTask> tasks = tasks(manifest, model, hconf);
        long tLocked = System.nanoTime();

        // One writer per output root: everything that reads or writes OUT happens under its lock.
        try (OutputLock lock = OutputLock.acquire(layout.fs(), layout.root(),
                Duration.ofSeconds(options.lockStaleSeconds()), options.waitForLock(), err)) {
            Optional<String> latest = layout.latestRunId();
            String runId = resumeOrNew(layout, latest);
            lock.runId(runId); // at once, so that a job refused meanwhile can name the run
            Map<String, PreviousRow> previous = options.incremental() && latest.isPresent()
                    ? previousRows(layout, latest.get()) : Map.of();
            long tPrevious = System.nanoTime();
            StagingStore staging = new StagingStore(layout.stagingDir(runId).toString(), new HadoopConf(hconf),
                    layout.isObjectStore());

            // Plan: carry over, reuse from staging, or process.
            Map<String, String> staged = staging.okResults();
            List<ExamTask> carried = new ArrayList<>();
            List<ExamTask> reused = new ArrayList<>();
            List<ExamTask> todo = new ArrayList<>();
            for (ExamTask t : tasks) {
                PreviousRow prev = previous.get(t.examId() + "\u0000" + model.modelId());
                if (prev != null && prev.unchanged(t)) {
                    carried.add(t);
                } else if (staged.containsKey(t.key())) {
                    reused.add(t);
                } else {
                    todo.add(t);
                }
            }
            List<List<ExamTask>> batches = ExamBatches.of(todo, spark.sparkContext().defaultParallelism(),
                    analyzer.taskInputBytes());
            err.printf("%s: %d exams in %s; %d unchanged since run %s, %d finished in staging %s, %d to process"
                            + " in %d tasks%n", job, tasks.size(), options.manifest(), carried.size(),
                    latest.orElse("(none)"), reused.size(), runId, todo.size(), batches.size());

            long tProcess = System.nanoTime();
            err.printf(java.util.Locale.ROOT, "%s: plan: manifest %.1f s, fingerprints %.1f s, lock and previous run %.1f s,"
                            + " staging and batches %.1f s%n", job, (tFingerprints - t0) / 1e9,
                    (tLocked - tFingerprints) / 1e9, (tPrevious - tLocked) / 1e9, (tProcess - tPrevious) / 1e9);
            process(job, batches, todo.size(), staging, hconf);
            long tPublish = System.nanoTime();

            // Publish: the complete state after this run, each exam's result from the one staged file that holds it.
            Map<String, String> fileByKey = new HashMap<>();
            reused.forEach(t -> fileByKey.put(t.key(), staged.get(t.key())));
            for (List<ExamTask> batch : batches) {
                String file = StagingStore.batchName(batch);
                batch.forEach(t -> fileByKey.put(t.key(), file));
            }
            List<StagingStore.Source> sources = StagingStore.sources(fileByKey);
            Dataset<Row> results = stagedResults(staging, sources);
            // Shared tables hold no image location: it stays in the custodian's manifest and staging.
            Manifest shared = deidentification.keepIdentifiers() ? manifest
                    : manifest.without(Deidentification.CUSTODIAN_COLUMNS);
            Optional<RunPublisher.Previous> continued = previous.isEmpty() ? Optional.empty()
                    : Optional.of(new RunPublisher.Previous(latest.orElseThrow(),
                    carriedKeys(previous, carried, manifest, model)));
            new RunPublisher(spark, layout, runId, err).publish(tasks.size(), shared.toDataFrame(spark), results,
                    continued);
            long validated = tasks.stream().filter(t -> t.referenceUri() != null).count();
            results.unpersist();

            // Counts from what was written (Parquet footers and one small file).
            long measurementRows = spark.read().parquet(layout.table(runId, OutputLayout.MEASUREMENTS).toString()).count();
            Dataset<Row> written = spark.read().parquet(layout.table(runId, OutputLayout.EXAMS).toString())
                    .filter(functions.col("model_id").equalTo(model.modelId()));
            Map<String, Long> byStatus = new HashMap<>();
            for (Row r : written.groupBy("status").count().collectAsList()) {
                byStatus.put(r.getString(0), r.getLong(1));
            }
            long ok = byStatus.getOrDefault(Status.OK.value(), 0L);
            long failed = byStatus.getOrDefault(Status.FAILED.value(), 0L);
            Map<String, Long> failedByClass = new LinkedHashMap<>();
            for (Row r : written.filter(functions.col("status").equalTo(Status.FAILED.value()))
                    .select(functions.coalesce(functions.col("error_class"), functions.lit("(none)")).as("error_class"))
                    .groupBy("error_class").count()
                    .orderBy(functions.col("count").desc(), functions.col("error_class"))
                    .collectAsList()) {
                failedByClass.put(r.getString(0), r.getLong(1));
            }
            RunSummary summary = new RunSummary(runId, layout.root().toString(), model.modelId(), tasks.size(),
                    todo.size(), reused.size(), carried.size(), ok, failed, measurementRows,
                    (System.nanoTime() - t0) / 1e9, (tPublish - tProcess) / 1e9, (System.nanoTime() - tPublish) / 1e9,
                    failedByClass, deidentification.label());
            lock.checkHeld();
            layout.commit(runId, summary.toJson());
            err.printf(java.util.Locale.ROOT, "%s: timings: plan %.1f s, process %.1f s, publish %.1f s (%d staging files)%n",
                    job, (tProcess - t0) / 1e9, summary.processSeconds(), summary.publishSeconds(), sources.size());
            layout.clearStaging(runId);
            if (options.keepRuns() > 0) {
                List<String> pruned = layout.prune(options.keepRuns());
                if (!pruned.isEmpty()) {
                    err.printf("%s: pruned runs %s (keeping %d)%n", job, pruned, options.keepRuns());
                }
            }
            err.println(job + ": " + summary.describe());
            err.println(job + ": " + summary.describeFailures());
            if (validated > 0) {
                err.println(job + ": " + describeValidation(layout, runId, model));
            }
            return summary;
        }
    }

    /** Validation exams of this model and their failures by class, from the written table (one small read). */
    private String describeValidation(OutputLayout layout, String runId, ModelIdentity model) {
        Dataset<Row> v = spark.read().parquet(layout.table(runId, OutputLayout.VALIDATION).toString())
                .filter(functions.col("model_id").equalTo(model.modelId()));
        long exams = v.select("exam_id").distinct().count();
        Map<String, Long> failed = new LinkedHashMap<>();
        for (Row r : v.filter(functions.col("status").equalTo(Status.FAILED.value())).groupBy("error_class").count()
                .orderBy(functions.col("count").desc(), functions.col("error_class")).collectAsList()) {
            failed.put(r.getString(0), r.getLong(1));
        }
        return "validation: " + exams + " exams against a reference, " + failed.values().stream()
                .mapToLong(Long::longValue).sum() + " failed" + (failed.isEmpty() ? "" : " " + failed)
                + " (the exams themselves are not failed by it)";
    }

    private List<ExamTask> tasks(Manifest manifest, ModelIdentity model, Configuration conf) {
        List<String> images = new ArrayList<>();
        List<String> masks = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (ManifestEntry e : manifest.entries()) {
            images.add(e.imageUri());
            masks.add(e.maskUri());
            references.add(e.referenceMaskUri());
        }
        List<InputFingerprint.Stat> imageStats = InputFingerprint.ofAll(images, conf, 16);
        List<InputFingerprint.Stat> maskStats = analyzer.needsMask() ? InputFingerprint.ofAll(masks, conf, 16) : null;
        List<InputFingerprint.Stat> referenceStats = references.stream().anyMatch(r -> r != null)
                ? InputFingerprint.ofAll(references, conf, 16) : null;
        List<ExamTask> tasks = new ArrayList<>();
        for (int i = 0; i < manifest.size(); i++) {
            ManifestEntry e = manifest.entries().get(i);
            String fp = imageStats.get(i).fingerprint();
            long size = imageStats.get(i).size();
            if (maskStats != null) {
                fp = "image:" + fp + "|mask:" + maskStats.get(i).fingerprint();
                size += maskStats.get(i).size();
            }
            String reference = e.referenceMaskUri();
            tasks.add(new ExamTask(e.examId(), e.imageUri(), analyzer.needsMask() ? e.maskUri() : null,
                    ExamTask.fingerprint(fp, e.givenPhase(),
                            reference == null ? null : referenceStats.get(i).fingerprint()),
                    size, model.sha256(), e.givenPhase(), reference));
        }
        return tasks;
    }

    /** The interrupted run to resume (its staging folder holds finished exams), else a new run id. */
    private static String resumeOrNew(OutputLayout layout, Optional<String> latest) throws IOException {
        List<String> unfinished = layout.unfinishedStaging();
        if (!unfinished.isEmpty()) {
            String newest = unfinished.get(unfinished.size() - 1);
            if (latest.isEmpty() || newest.compareTo(latest.get()) > 0) {
                return newest;
            }
        }
        return layout.newRunId();
    }

    private void process(String job, List<List<ExamTask>> batches, int exams, StagingStore staging,
                         Configuration hconf) {
        if (batches.isEmpty()) {
            return;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // One batch per partition, largest first: Spark starts partitions in order, so big exams begin
        // early and never queue behind each other on one task (longest-processing-time-first).
        LongAccumulator done = spark.sparkContext().longAccumulator("exams done");
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hconf));
        JavaRDD<ExamTask> rdd = jsc.parallelize(batches, batches.size()).flatMap(List::iterator);
        jsc.setJobDescription(job + ": " + exams + " exams in " + batches.size() + " tasks");
        ProgressReporter progress = options.progress()
                ? new ProgressReporter(job, done, exams, err, 5000).start() : null;
        try {
            rdd.foreachPartition(new ExamTaskFunction(analyzer, conf, staging, done, PipelineVersion.get(),
                    options.readAttempts()));
        } finally {
            if (progress != null) {
                progress.finish(job);
            }
            conf.destroy();
            jsc.setJobDescription(null);
        }
    }

    /** Results of this run's exams, read back from staging on the executors (never via the driver). */
    private Dataset<Row> stagedResults(StagingStore staging, List<StagingStore.Source> sources) {
        StructType schema = new StructType()
                .add("exam", ExamsTable.RESULT_KEYED, false)
                .add("measurements", DataTypes.createArrayType(MeasurementsTable.SCHEMA, false), false)
                .add("biomarkers", DataTypes.createArrayType(BiomarkersTable.SCHEMA, false), false)
                .add("validation", DataTypes.createArrayType(ValidationTable.SCHEMA, false), false);
        if (sources.isEmpty()) {
            return spark.createDataFrame(List.of(), schema);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(sources.size(), spark.sparkContext().defaultParallelism() * 4));
        JavaRDD<Row> rows = jsc.parallelize(sources, slices).flatMap(source -> {
            List<Row> out = new ArrayList<>();
            for (ExamResult r : staging.take(source)) {
                // Spark's Row encoder takes a Scala Seq for an array column.
                out.add(RowFactory.create(ResultRows.examRow(r),
                        scala.jdk.javaapi.CollectionConverters.asScala(ResultRows.measurementRows(r)).toSeq(),
                        scala.jdk.javaapi.CollectionConverters.asScala(ResultRows.biomarkerRows(r)).toSeq(),
                        scala.jdk.javaapi.CollectionConverters.asScala(ResultRows.validationRows(r)).toSeq()));
            }
            return out.iterator();
        });
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        return df.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** (exam_id, model_id) of the previous run's rows this run keeps: unchanged exams, and other models' rows. */
    private Dataset<Row> carriedKeys(Map<String, PreviousRow> previous, List<ExamTask> carried, Manifest manifest,
                                     ModelIdentity model) {
        Set<String> inManifest = new HashSet<>();
        manifest.entries().forEach(e -> inManifest.add(e.examId()));
        Set<String> carriedIds = new HashSet<>();
        carried.forEach(t -> carriedIds.add(t.examId()));
        List<Row> keys = new ArrayList<>();
        for (PreviousRow p : previous.values()) {
            boolean sameModel = p.modelId().equals(model.modelId());
            if (inManifest.contains(p.examId()) && (!sameModel || carriedIds.contains(p.examId()))) {
                keys.add(RowFactory.create(p.examId(), p.modelId()));
            }
        }
        StructType schema = new StructType().add("exam_id", DataTypes.StringType).add("model_id", DataTypes.StringType);
        return spark.createDataFrame(keys, schema);
    }

    /** The key columns of the previous run's exams, on the driver (one small row per exam and model). */
    private Map<String, PreviousRow> previousRows(OutputLayout layout, String runId) {
        Map<String, PreviousRow> rows = new HashMap<>();
        try {
            if (!layout.fs().exists(layout.table(runId, OutputLayout.BIOMARKERS))) {
                // Written before biomarkers: carrying its exams over would leave them without biomarker rows.
                err.println("warning: previous run " + runId + " has no " + OutputLayout.BIOMARKERS
                        + " table (written by an older version); processing every exam");
                return Map.of();
            }
            List<Row> list = spark.read().parquet(layout.table(runId, OutputLayout.EXAMS).toString())
                    .select("exam_id", "model_id", "model_sha256", "input_fingerprint", "status").collectAsList();
            for (Row r : list) {
                PreviousRow p = new PreviousRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4));
                rows.put(p.examId() + "\u0000" + p.modelId(), p);
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable or older-layout previous run: process everything rather than guess.
            LOG.warn("previous run {} not usable for --incremental ({}); processing every exam", runId, e.toString());
            err.println("warning: previous run " + runId + " not usable for --incremental: " + e.getMessage());
            return Map.of();
        }
        return rows;
    }

    private record PreviousRow(String examId, String modelId, String modelSha256, String fingerprint, String status) {
        boolean unchanged(ExamTask t) {
            return Status.OK.value().equals(status) && t.fingerprint().equals(fingerprint)
                    && t.modelSha256().equals(modelSha256) && !InputFingerprint.MISSING.equals(fingerprint);
        }
    }
}
