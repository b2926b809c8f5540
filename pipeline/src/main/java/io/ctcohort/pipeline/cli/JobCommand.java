package io.ctcohort.pipeline.cli;

import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link CohortJob} from the command line: exit 0 on a published run, 2 on refused input
 * ({@link JobErrors}), 3 when the input or output store failed after its retries (nothing new
 * published: LATEST still names the previous run, and a re-run resumes from staging).
 */
abstract class JobCommand implements Callable<Integer>, JobErrors {
    /** The store failed after its retries (README "Reliability"). */
    static final int EXIT_STORE_FAILED = 3;

    /** The last run's summary (for tests and the benchmark that drive the command in-process). */
    RunSummary lastSummary;

    abstract JobOptions options();

    abstract ExamAnalyzer analyzer(SparkSession spark);

    @Override
    public Integer call() throws Exception {
        JobOptions o = options();
        SparkSession spark = o.sparkOptions.create("ctcohort " + getClass().getSimpleName());
        try {
            Deidentification deid = Deidentification.forJob(o.pseudonyms.key(), o.keepIdentifiers, o.pseudonyms.dates(),
                    spark.sparkContext().hadoopConfiguration(), System.err);
            System.err.println("identifiers: " + deid.describe());
            ExamAnalyzer analyzer = analyzer(spark);
            LockPolicy lock = o.lock.policy(); // a bad --lock-stale-seconds: exit 2, as every command
            CohortJob.Options opts = new CohortJob.Options(o.manifest, o.out, o.incremental, o.keepRuns,
                    !o.noProgress, 3, lock.waitForLock(), (int) lock.staleAfter().toSeconds());
            lastSummary = new CohortJob(spark, analyzer, opts, deid, System.err).run();
            return 0;
        } catch (IOException | UncheckedIOException e) {
            System.err.println(errorPrefix() + e.getMessage());
            return EXIT_STORE_FAILED;
        } finally {
            spark.stop();
        }
    }

    public RunSummary lastSummary() {
        return lastSummary;
    }
}
