package io.ctcohort.pipeline.cli;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.spark.SparkSessions;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctcohort catalog}: every DICOM series of an archive, and one chosen per study. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Catalog a DICOM archive with Spark (headers only) and choose one series per study.",
            "Writes OUT/series/ (Parquet, one row per series or unreadable file) and OUT/manifest.csv "
                    + "(exam_id = StudyInstanceUID, image_uri = FOLDER#SeriesInstanceUID, patient_id, age, sex, "
                    + "study_date, ...), which segment takes as it is.",
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

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark configuration (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The last run's counts (for tests and the benchmark that drive the command in-process). */
    CatalogJob.Summary lastSummary;

    @Override
    public Integer call() {
        if (thickness.length != 2 || thickness[0] > thickness[1]) {
            throw new CtCohortException("--thickness-range takes MIN,MAX with MIN <= MAX");
        }
        SparkSession spark = SparkSessions.create("ctcohort catalog", master, conf);
        try {
            lastSummary = new CatalogJob(spark, new SelectionRules(minSlices, thickness[0], thickness[1]), System.err)
                    .run(in, out);
            return 0;
        } finally {
            spark.stop();
        }
    }

    public CatalogJob.Summary lastSummary() {
        return lastSummary;
    }
}
