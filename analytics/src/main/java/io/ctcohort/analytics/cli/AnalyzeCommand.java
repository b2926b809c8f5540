package io.ctcohort.analytics.cli;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.MinVolumeTable;
import io.ctcohort.analytics.RunFolders;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.engine.CtCohortException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
                "z-scores (exam_scores/) by quantile regression on a spline of age."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:analysed (structures with too few usable exams are named on stderr)",
            "1:unexpected failure (message on stderr, details in the log)",
            "2:bad input: no such run, a missing table or column",
            "3:nothing to analyse: no usable exams, or too few for every structure"})
public final class AnalyzeCommand implements Callable<Integer> {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_NOTHING_TO_ANALYZE = 3;
    /** OLS of metric ~ age + sex has three parameters; one exam more leaves a residual degree of freedom. */
    static final int MIN_EXAMS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeCommand.class);

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
                return verdict(spark, s);
            } finally {
                if (owned) {
                    spark.stop();
                }
            }
        } catch (CtCohortException e) {
            System.err.println("analyze: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (RuntimeException e) {
            LOG.error("analyze of {} failed", in, e);
            System.err.println("analyze: failed on " + in + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (stack trace in the log)");
            return EXIT_FAILED;
        }
    }

    /**
     * Says plainly when the run held nothing to analyse (QC kept no rows) or a structure had too few
     * usable exams for an age effect, reading the age_effects table just written by its column names.
     */
    private static int verdict(SparkSession spark, AnalyzeJob.Summary s) {
        long removed = s.qcRemoved().values().stream().mapToLong(Long::longValue).sum();
        if (s.qcTotal() - removed <= 0) {
            System.err.printf("analyze: no usable exams in %s: quality control kept 0 of %d measurement rows %s;"
                    + " no age effect could be estimated%n", s.run().folder(), s.qcTotal(), s.qcRemoved());
            return EXIT_NOTHING_TO_ANALYZE;
        }
        List<Row> all = spark.read().parquet(new org.apache.hadoop.fs.Path(s.tablesDir(), RunFolders.AGE_EFFECTS)
                        .toString())
                .filter(functions.col("stratum").equalTo("all"))
                .groupBy("structure").agg(functions.max("n").as("n"),
                        functions.count(functions.when(functions.not(functions.isnan(functions.col("beta_age")))
                                .and(functions.col("beta_age").isNotNull()), 1)).as("estimable"))
                .orderBy("structure").collectAsList();
        List<String> tooFew = new ArrayList<>();
        long estimable = 0;
        for (Row r : all) {
            long n = ((Number) r.getAs("n")).longValue();
            if (n < MIN_EXAMS) {
                tooFew.add(r.getAs("structure") + " (" + n + ")");
            }
            estimable += (long) r.getAs("estimable") > 0 ? 1 : 0;
        }
        if (!tooFew.isEmpty()) {
            System.err.printf("analyze: too few usable exams (fewer than %d) for an age effect of %d structure(s):"
                    + " %s%n", MIN_EXAMS, tooFew.size(), String.join(", ", tooFew));
        }
        if (estimable == 0) {
            System.err.printf("analyze: no structure of %s had an estimable age effect%n", s.run().folder());
            return EXIT_NOTHING_TO_ANALYZE;
        }
        return 0;
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
