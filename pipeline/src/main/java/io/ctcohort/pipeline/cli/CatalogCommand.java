package io.ctcohort.pipeline.cli;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.cli.LockOptions;
import io.ctcohort.core.cli.SparkOptions;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ctcohort catalog}: every DICOM series of an archive, and one chosen per study. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Catalog a DICOM archive with Spark (headers only) and choose one series per study.",
            "Writes OUT/series/ (Parquet, one row per series or unreadable file) and OUT/manifest.csv "
                    + "(exam_id, image_uri = FOLDER#SeriesInstanceUID, patient_id, age, sex, study_date, ...), "
                    + "which segment takes as it is.",
            "Identifiers: with --pseudonym-key, patient_id, exam_id (StudyInstanceUID) and series ids are keyed "
                    + "pseudonyms (P-, E-, S- and 24 hex digits of HMAC-SHA-256), study dates are shifted per patient "
                    + "(--dates), ages over 89 are 90. Without a key, catalog refuses unless --keep-identifiers.",
            "Chosen: CT, ORIGINAL\\PRIMARY, axial, not a localizer, at least --min-slices images; then soft-tissue "
                    + "kernel before unknown before lung/bone, slice thickness inside --thickness-range, thinnest, "
                    + "most images, lowest series number, series UID."})
public final class CatalogCommand implements Callable<Integer>, JobErrors {
    @Option(names = "--in", required = true, paramLabel = "ROOT", description = "Archive root (a path, file://, s3a://, hdfs://).")
    String in;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output folder.")
    String out;

    @Option(names = "--min-slices", defaultValue = "10", paramLabel = "N",
            description = "Fewest images (besides localizers) a chosen series has. Default: ${DEFAULT-VALUE}.")
    int minSlices;

    @Option(names = "--thickness-range", defaultValue = "0.5,5.0", split = ",", paramLabel = "MIN,MAX",
            description = "Slice thicknesses (mm) preferred over others. Default: ${DEFAULT-VALUE}.")
    double[] thickness;

    @Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @Option(names = "--incremental",
            description = "Keep one snapshot per run (OUT/runs/<run_id>/{series,folders,manifest.csv}, OUT/LATEST, "
                    + "and a copy of the manifest at OUT/manifest.csv) and read headers only in folders that are new "
                    + "or whose listing (names, sizes, modification times) changed since the last run; carry the "
                    + "other series over and choose one series per study again.")
    boolean incremental;

    @Option(names = "--folder-depth", defaultValue = "1", paramLabel = "N",
            description = "With --incremental: the folders N levels below ROOT are the units whose listing is "
                    + "fingerprinted (1: ROOT's children, e.g. one folder per study); a series must lie within one. "
                    + "Default: ${DEFAULT-VALUE}.")
    int folderDepth;

    @Mixin
    LockOptions lock = new LockOptions();

    @Mixin
    CatalogIdentifierOptions identifiers = new CatalogIdentifierOptions();

    /** The last run's counts (for tests and the benchmark that drive the command in-process). */
    CatalogJob.Summary lastSummary;

    @Override
    public Integer call() {
        if (thickness.length != 2 || thickness[0] > thickness[1]) {
            throw new CtCohortException("--thickness-range takes MIN,MAX with MIN <= MAX");
        }
        identifiers.check(incremental);
        // Refused before Spark starts: a --folder-depth under 1.
        CatalogJob.Incremental incrementalOptions = incremental ? new CatalogJob.Incremental(folderDepth, lock.policy())
                : null;
        SparkSession spark = sparkOptions.create("ctcohort catalog");
        try {
            Deidentification deid = identifiers.resolve(spark.sparkContext().hadoopConfiguration(), System.err);
            CatalogJob job = new CatalogJob(spark, new SelectionRules(minSlices, thickness[0], thickness[1]), deid,
                    identifiers.linkageOut, System.err);
            lastSummary = incremental
                    ? job.runIncremental(in, out, incrementalOptions)
                    : job.run(in, out, lock.policy());
            return 0;
        } finally {
            spark.stop();
        }
    }

    public CatalogJob.Summary lastSummary() {
        return lastSummary;
    }
}
