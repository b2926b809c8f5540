package io.ctcohort.analytics.cli;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.MinVolumeTable;
import io.ctcohort.analytics.RunFolders;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.analytics.local.LocalAgeStudy;
import io.ctcohort.engine.CtCohortException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ctcohort analyze --in RUN [--report DIR]}: the age study of a run; tables go into the run
 * folder, the HTML report and CSV copies (if asked for) into DIR. A cohort that fits in memory is
 * analysed by plain Java over the Parquet files (no Spark session: start-up, joins and shuffles are
 * most of the time at 4004 exams); a larger one by Spark (local or spark-submit). Same results either
 * way; the command says which engine ran and why.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Age effects (Spearman, OLS, Bonferroni, Benjamini-Hochberg) and age-group tables of a run,",
                "written as age_effects/ and age_groups/ into the run folder, plus an HTML report with plots (--report).",
                "A cohort that fits in memory is analysed without Spark (--engine auto), a larger one with Spark."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--in", required = true, paramLabel = "RUN",
            description = "Run folder (exams/ + measurements/), output root (its LATEST run), or a folder with "
                    + "exams.parquet + measurements.parquet. Local path, hdfs:// or s3a://.")
    String in;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Local folder for index.html, plots/ and the CSV copies (default: tables only).")
    Path report;

    /** Which engine runs the study. */
    public enum Engine { auto, local, spark }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
            description = "auto (default): plain Java over the Parquet files when the cohort fits in half the heap, "
                    + "else Spark; local: plain Java; spark: a Spark job. Identical results.")
    Engine engine = Engine.auto;

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

    @Override
    public Integer call() {
        try {
            long start = System.nanoTime();
            StudyOptions options = new StudyOptions(covariates, ageSquared,
                    minVolume == null ? Map.of() : MinVolumeTable.read(minVolume), model)
                    .withBorderExempt(borderExempt);
            // Embedded in a JVM that already runs Spark (tests, notebooks): use that session, leave it running.
            boolean owned = SparkSession.getDefaultSession().isEmpty();
            Configuration conf = owned ? hadoopConf() : SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration();
            RunFolders.Run run = RunFolders.resolve(in, conf);
            AnalyzeJob.Summary s = null;
            if (engine != Engine.spark) {
                LocalAgeStudy.Plan plan = LocalAgeStudy.plan(conf, run, Runtime.getRuntime().maxMemory());
                if (plan.fits() || engine == Engine.local) {
                    try {
                        s = AnalyzeJob.runLocal(conf, run, start, tablesOut, report, options);
                        System.out.println("engine: local (" + plan.reason() + ")");
                    } catch (LocalAgeStudy.Declined e) {
                        System.out.println("engine: spark (the plain reader declined: " + e.getMessage() + ")");
                    }
                } else {
                    System.out.println("engine: spark (" + plan.reason() + ")");
                }
            } else {
                System.out.println("engine: spark (--engine spark)");
            }
            if (s == null) {
                SparkSession spark = session(master);
                try {
                    s = AnalyzeJob.run(spark, run, start, tablesOut, report, options);
                } finally {
                    if (owned) {
                        spark.stop();
                    }
                }
            }
            System.out.printf("analyzed %s: %d effects, %d age-group rows; QC kept %d of %d rows %s%n",
                    s.run().folder(), s.effects(), s.ageGroupRows(),
                    s.qcTotal() - s.qcRemoved().values().stream().mapToLong(Long::longValue).sum(), s.qcTotal(),
                    s.qcRemoved());
            System.out.println("tables: " + s.tablesDir() + "/{age_effects,age_groups}");
            System.out.println("report: " + (s.reportIndex() == null ? "none (no --report)" : s.reportIndex()));
            System.out.println("timings (ms): " + s.millis());
            return 0;
        } catch (CtCohortException e) {
            System.err.println("analyze: " + e.getMessage());
            return 2;
        }
    }

    /**
     * {@code analyze} alone (bin/ctcohort starts it so): the same command as {@code ctcohort analyze},
     * without building every other command of the CLI first (their classes and options, ~0.4 s).
     */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new AnalyzeCommand()).setCommandName("ctcohort analyze").execute(args));
    }

    /**
     * Hadoop settings as a Spark job would have them: the spark.hadoop.* entries of the Spark
     * configuration, which spark-submit passes as system properties (read directly: SparkConf would
     * start Spark's logging and Scala runtime, a second of a two-second run).
     */
    static Configuration hadoopConf() {
        Configuration conf = new Configuration();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("spark.hadoop.")) {
                conf.set(key.substring("spark.hadoop.".length()), System.getProperty(key));
            }
        }
        return conf;
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
        if (effective.startsWith("local")) {
            if (!conf.contains("spark.driver.host")) {
                b.config("spark.driver.host", "127.0.0.1");
            }
            // one machine: a few shuffle partitions per core, not 200 (adaptive execution stays on)
            if (!conf.contains("spark.sql.shuffle.partitions")) {
                b.config("spark.sql.shuffle.partitions", String.valueOf(4 * Runtime.getRuntime().availableProcessors()));
            }
            if (!conf.contains("spark.ui.showConsoleProgress")) {
                b.config("spark.ui.showConsoleProgress", "false");
            }
        }
        return b.getOrCreate();
    }
}
