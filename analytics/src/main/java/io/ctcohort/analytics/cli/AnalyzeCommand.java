package io.ctcohort.analytics.cli;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.MinVolumeTable;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.engine.CtCohortException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ctcohort analyze --in RUN --report DIR}: the age study of a run as a Spark job (local or
 * spark-submit); tables go into the run folder, the HTML report and CSV copies into DIR.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Age effects (Spearman, OLS, Bonferroni, Benjamini-Hochberg) and age-group tables of a run,",
                "written as age_effects/ and age_groups/ into the run folder, plus an HTML report with plots;",
                "age- and sex-specific reference centiles (reference_centiles/) and per-exam centile ranks and",
                "z-scores (exam_scores/) by quantile regression on a spline of age."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, paramLabel = "RUN",
            description = "Run folder (exams/ + measurements/), output root (its LATEST run), or a folder with "
                    + "exams.parquet + measurements.parquet. Local path, hdfs:// or s3a://.")
    String in;

    @Option(names = "--report", required = true, paramLabel = "DIR",
            description = "Local folder for index.html, plots/ and the CSV copies.")
    Path report;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[*] (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--tables-out", paramLabel = "DIR",
            description = "Write age_effects/ and age_groups/ here instead of into the run folder (e.g. a read-only run).")
    String tablesOut;

    @Option(names = "--covariate", paramLabel = "COLUMN",
            description = "Extra numeric exams (manifest) column added to every OLS model; repeatable.")
    List<String> covariates = new ArrayList<>();

    @Option(names = "--age-squared", description = "Add (age - mean age)^2 to the OLS models.")
    boolean ageSquared;

    @Option(names = "--min-volume", paramLabel = "CSV",
            description = "QC table structure,min_volume_ml of minimum plausible volumes (e.g. conf/qc-min-volume.csv).")
    Path minVolume;

    @Option(names = "--model", paramLabel = "ID", description = "Analyse only this model_id.")
    String model;

    @Option(names = "--border-exempt", paramLabel = "STRUCTURE", split = ",",
            description = "Keep this structure even where it touches the volume border (one that runs through "
                    + "every scan, e.g. aorta); repeatable or comma-separated.")
    List<String> borderExempt = new ArrayList<>();

    @Mixin
    CentileArgs centileArgs = new CentileArgs();

    @Override
    public Integer call() {
        try {
            StudyOptions options = new StudyOptions(covariates, ageSquared,
                    minVolume == null ? Map.of() : MinVolumeTable.read(minVolume), model)
                    .withBorderExempt(borderExempt);
            CentileOptions centiles = centileArgs.options();
            // Embedded in a JVM that already runs Spark (tests, notebooks): use that session, leave it running.
            boolean owned = SparkSession.getDefaultSession().isEmpty();
            SparkSession spark = session(master);
            try {
                AnalyzeJob.Summary s = AnalyzeJob.run(spark, in, tablesOut, report, options, centiles);
                System.out.printf("analyzed %s: %d effects, %d age-group rows; QC kept %d of %d rows %s%n",
                        s.run().folder(), s.effects(), s.ageGroupRows(),
                        s.qcTotal() - s.qcRemoved().values().stream().mapToLong(Long::longValue).sum(), s.qcTotal(),
                        s.qcRemoved());
                System.out.println("tables: " + s.tablesDir() + "/{age_effects,age_groups"
                        + (centiles.enabled() ? ",reference_centiles,exam_scores" : "")
                        + (centiles.ageSplineDf() > 0 ? ",age_spline" : "") + "}");
                System.out.println("report: " + s.reportIndex());
                System.out.println("timings (ms): " + s.millis());
            } finally {
                if (owned) {
                    spark.stop();
                }
            }
            return 0;
        } catch (CtCohortException e) {
            System.err.println("analyze: " + e.getMessage());
            return 2;
        }
    }

    /** spark-submit sets spark.master; a plain JVM gets local[*] on the loopback interface. */
    static SparkSession session(String master) {
        System.setProperty("java.awt.headless", "true");
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName("ctcohort analyze");
        if (master != null) {
            b.master(master);
        } else if (!conf.contains("spark.master")) {
            b.master("local[*]");
        }
        String effective = master != null ? master : conf.get("spark.master", "local[*]");
        if (effective.startsWith("local") && !conf.contains("spark.driver.host")) {
            b.config("spark.driver.host", "127.0.0.1");
        }
        return b.getOrCreate();
    }
}
