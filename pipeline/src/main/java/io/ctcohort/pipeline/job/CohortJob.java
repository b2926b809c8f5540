package io.ctcohort.pipeline.job;

import io.ctcohort.core.cli.LockOptions;
import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.core.layout.LockedOutput;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.StagingStore;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * One run of {@code segment} or {@code measure} over a manifest, exactly once, in three steps:
 * <ol>
 * <li>plan ({@link RunPlanner}, {@link RunPlan}): read and validate the manifest (refused before any
 *     work); fingerprint every input on the executors; with --incremental, exams whose (exam_id,
 *     fingerprint, model sha256) has an ok row in the LATEST run are carried over (a join with its
 *     ledger, {@code publish.RunLedger}); exams already finished in the staging folder of an interrupted attempt are reused; the rest
 *     are cut into batches ({@link SparkBatches}: several small exams per Spark task, a large one alone),
 *     largest first. The driver holds counts; the per-exam plan is a Dataset;</li>
 * <li>process ({@link BatchProcessing}): each batch's results published to staging in one file;</li>
 * <li>publish ({@link RunPublisher}): the run's tables (exams, measurements, biomarkers, validation) =
 *     carried rows + staged results, in a new run folder where only the bucket files holding a new,
 *     changed or removed exam are written and the rest are carried over ({@code publish.BucketedTables}),
 *     then _SUCCESS, then LATEST; staging is removed and old runs pruned.</li>
 * </ol>
 * A kill at any point leaves LATEST on the previous complete run; the re-run resumes the
 * interrupted run's staging folder.
 */
public final class CohortJob {
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

        /** How this job takes its output root's lock ({@link LockedOutput}). */
        public LockPolicy lockPolicy() {
            return LockPolicy.of(lockStaleSeconds, waitForLock);
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
        RunContext ctx = new RunContext(spark, analyzer, options, deidentification, err);
        RunPlanner planner = new RunPlanner(ctx);
        ManifestRows manifest = planner.manifest();
        CloudCommitters.configure(spark, options.out());
        OutputLayout layout = new OutputLayout(options.out(), spark.sparkContext().hadoopConfiguration());

        // One writer per output root: everything that reads or writes OUT happens under its lock.
        try (OutputLock lock = LockedOutput.take(layout.fs(), layout.root(), options.lockPolicy(), "(planning)", err)) {
            Optional<String> latest = layout.latestRunId();
            String runId = resumeOrNew(layout, latest);
            lock.runId(runId); // at once, so that a job refused meanwhile can name the run

            RunPlan plan = planner.plan(manifest, layout, runId, latest);
            err.printf("%s: %d exams in %s; %d unchanged since run %s, %d finished in staging %s, %d to process"
                            + " in %d tasks%n", job, plan.exams(), options.manifest(), plan.carried(),
                    latest.orElse("(none)"), plan.reused(), runId, plan.todo(), plan.batches().count());
            long tProcess = System.nanoTime();
            JavaRDD<StagingStore.Source> staged = new BatchProcessing(ctx).process(plan);
            plan.batches().release(); // the publish reads the batches' shuffle output, not the sorted exams
            long tPublish = System.nanoTime();

            RunPublisher publisher = new RunPublisher(ctx);
            RunSummary summary = publisher.write(plan, staged, (tPublish - tProcess) / 1e9, t0);
            lock.checkHeld();
            publisher.commit(plan, summary, (tProcess - t0) / 1e9);
            return summary;
        }
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
}
