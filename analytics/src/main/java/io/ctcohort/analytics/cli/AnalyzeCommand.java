package io.ctcohort.analytics.cli;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.MinVolumeTable;
import io.ctcohort.analytics.PhaseMode;
import io.ctcohort.core.layout.LockedOutput;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.analytics.calibration.CalibrationOptions;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.local.LocalAgeStudy;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.cli.LockOptions;
import io.ctcohort.core.cli.SparkOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
                "written as age_effects/ and age_groups/ into the run folder, plus an HTML report with plots (--report);",
                "age- and sex-specific reference centiles (reference_centiles/) and per-exam centile ranks and",
                "z-scores (exam_scores/) by quantile regression on a spline of age (on Spark; --no-centiles skips them).",
                "Without centiles, a cohort that fits in memory is analysed without Spark (--engine auto)."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:analysed (structures with too few usable exams are named on stderr)",
            "1:unexpected failure (message on stderr, details in the log)",
            "2:bad input: no such run, a missing table or column; or another live job writes to the output root",
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

    @Option(names = "--report", paramLabel = "DIR",
            description = "Local folder for index.html, plots/ and the CSV copies (default: tables only).")
    Path report;

    /** Which engine runs the study. */
    public enum Engine { auto, local, spark }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
            description = "auto (default): plain Java over the Parquet files when the cohort fits in half the heap, "
                    + "else Spark; local: plain Java; spark: a Spark job. Identical results.")
    Engine engine = Engine.auto;

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

    /** --phase values. */
    public enum Phase { adjust, stratify, ignore }

    @Option(names = "--phase", paramLabel = "MODE", defaultValue = "adjust",
            description = "Contrast phase of attenuation metrics (hu_*, *_hu biomarkers) when the exams hold more than "
                    + "one known phase: adjust (default; phase indicators in the OLS, reference native, exams of "
                    + "unknown phase left out, unadjusted fit beside it), stratify (one fit per phase), ignore "
                    + "(every exam in one fit). Centiles of attenuation metrics then use native exams only.")
    Phase phase = Phase.adjust;

    @Option(names = "--min-validation-exams", paramLabel = "N",
            defaultValue = "" + CalibrationOptions.DEFAULT_MIN_VALIDATION_EXAMS,
            description = "Calibrate a structure x metric's age effect only with at least N validation exams "
                    + "(exams with a reference_mask_uri; default ${DEFAULT-VALUE}, at least 3).")
    int minValidationExams = CalibrationOptions.DEFAULT_MIN_VALIDATION_EXAMS;

    @Option(names = "--flag-dice-below", paramLabel = "DICE", defaultValue = "" + CalibrationOptions.DEFAULT_MIN_MEAN_DICE,
            description = "validation_summary flags a structure whose mean Dice is below DICE (default ${DEFAULT-VALUE}).")
    double flagDiceBelow = CalibrationOptions.DEFAULT_MIN_MEAN_DICE;

    @Option(names = "--flag-slope-outside", paramLabel = "LOW,HIGH", split = ",",
            defaultValue = CalibrationOptions.DEFAULT_SLOPE_LOW + "," + CalibrationOptions.DEFAULT_SLOPE_HIGH,
            description = "validation_summary flags a calibration slope outside [LOW, HIGH] (default ${DEFAULT-VALUE}).")
    List<Double> flagSlopeOutside = List.of(CalibrationOptions.DEFAULT_SLOPE_LOW, CalibrationOptions.DEFAULT_SLOPE_HIGH);

    @Option(names = "--calibration-model", paramLabel = "MODEL", defaultValue = "conditional",
            description = "What calibrates an age effect over the validation exams: conditional (default; the model's "
                    + "value on the reference, age and the study's covariates, so error that depends on age is "
                    + "corrected: (beta - c) / b) or reference-only (on the reference alone: beta / b, assumes the "
                    + "error does not depend on age).")
    String calibrationModel = "conditional";

    /** --calibration-interval values. */
    public enum CalibrationInterval { delta, bootstrap }

    @Option(names = "--calibration-interval", paramLabel = "METHOD", defaultValue = "delta",
            description = "The calibrated effects' 95 %% interval: delta (default; delta method) or bootstrap "
                    + "(percentile, " + CalibrationOptions.Bootstrap.DEFAULT_REPLICATES + " resamples of the validation "
                    + "exams, seeded by --calibration-seed).")
    CalibrationInterval calibrationInterval = CalibrationInterval.delta;

    @Option(names = "--calibration-seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the bootstrap interval's resamples (default ${DEFAULT-VALUE}).")
    long calibrationSeed = 1;

    @Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @Mixin
    CentileArgs centileArgs = new CentileArgs();

    @Mixin
    LockOptions lockOptions = new LockOptions();

    @Override
    public Integer call() {
        try {
            long start = System.nanoTime();
            StudyOptions options = new StudyOptions(covariates, ageSquared,
                    minVolume == null ? Map.of() : MinVolumeTable.read(minVolume), model)
                    .withBorderExempt(borderExempt).withPhase(PhaseMode.valueOf(phase.name().toUpperCase(java.util.Locale.ROOT)))
                    .withCalibration(calibration());
            CentileOptions centiles = centileArgs.options();
            boolean centilePass = centiles.enabled() || centiles.ageSplineDf() > 0;
            if (centilePass && engine == Engine.local) {
                System.err.println("analyze: --engine local runs the age study only; add --no-centiles (and no "
                        + "--age-spline), or let the centile pass run on Spark");
                return EXIT_BAD_INPUT;
            }
            // Embedded in a JVM that already runs Spark (tests, notebooks): use that session, leave it running.
            boolean owned = SparkSession.getDefaultSession().isEmpty();
            Configuration conf = owned ? hadoopConf(sparkOptions.conf()) : SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration();
            OutputLayout.Run run = OutputLayout.resolve(in, conf);
            AnalyzeJob.Summary s;
            // One writer per output root: a segment publishing or pruning runs there, or another analyze
            // writing the same tables, would clash with these writes (docs/DESIGN.md "One writer per output root").
            // The root is the one analyze writes into: the run's output root, or --tables-out's; a live holder
            // refuses it (OutputLockedException, exit 2) unless --wait-for-lock.
            org.apache.hadoop.fs.Path tables = tablesOut == null ? run.folder() : new org.apache.hadoop.fs.Path(tablesOut);
            try (OutputLock lock = LockedOutput.take(tables.getFileSystem(conf), OutputLayout.rootOf(tables),
                    lockOptions.policy(), "analyze of " + run.folder(), System.err)) {
                run = OutputLayout.resolve(in, conf); // again under the lock: LATEST may have moved meanwhile
                lock.runId("analyze of " + run.folder());
                s = study(conf, run, start, options, centiles, centilePass, owned, held(lock));
            }
            System.out.printf("analyzed %s: %d effects, %d age-group rows; QC kept %d of %d rows %s%n",
                    s.run().folder(), s.effects(), s.ageGroupRows(),
                    s.qcTotal() - s.qcRemoved().values().stream().mapToLong(Long::longValue).sum(), s.qcTotal(),
                    s.qcRemoved());
            if (s.biomarkerQc() != null) {
                System.out.println("biomarkers: " + s.biomarkerQc());
            }
            System.out.println("contrast phase: " + s.phase());
            System.out.println("tables: " + s.tablesDir() + "/{age_effects,age_groups"
                    + (centiles.enabled() ? ",reference_centiles,exam_scores" : "")
                    + (centiles.ageSplineDf() > 0 ? ",age_spline" : "") + "}");
            System.out.println("report: " + (s.reportIndex() == null ? "none (no --report)" : s.reportIndex()));
            System.out.println("timings (ms): " + s.millis());
            return verdict(s);
        } catch (CtCohortException e) {
            System.err.println("analyze: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (IOException e) {
            System.err.println("analyze: the output lock of " + in + " failed: " + e.getMessage());
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            LOG.error("analyze of {} failed", in, e);
            System.err.println("analyze: failed on " + in + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (stack trace in the log)");
            return EXIT_FAILED;
        }
    }

    /** The calibration flags as typed options; a bad value is refused (exit 2) naming the flag. */
    private CalibrationOptions calibration() {
        if (flagSlopeOutside.size() != 2) {
            throw new CtCohortException("--flag-slope-outside takes LOW,HIGH, got " + flagSlopeOutside);
        }
        try {
            return new CalibrationOptions(minValidationExams, CalibrationOptions.DEFAULT_MIN_SLOPE, flagDiceBelow,
                    flagSlopeOutside.get(0), flagSlopeOutside.get(1))
                    .withModel(io.ctcohort.analytics.calibration.CalibrationModel.of(calibrationModel))
                    .withBootstrap(calibrationInterval == CalibrationInterval.delta ? null
                            : new CalibrationOptions.Bootstrap(CalibrationOptions.Bootstrap.DEFAULT_REPLICATES,
                            calibrationSeed));
        } catch (IllegalArgumentException e) {
            throw new CtCohortException("--min-validation-exams / --flag-slope-outside / --calibration-model: "
                    + e.getMessage());
        }
    }

    /** The study of {@code run} by the engine that fits (said on stdout); its tables written. */
    private AnalyzeJob.Summary study(Configuration conf, OutputLayout.Run run, long start, StudyOptions options,
                                     CentileOptions centiles, boolean centilePass, boolean owned,
                                     AnalyzeJob.BeforeWrite beforeWrite) {
        AnalyzeJob.Summary s = null;
        if (centilePass) {
            System.out.println("engine: spark (the centile pass runs on Spark; --no-centiles allows the local engine)");
        } else if (engine != Engine.spark) {
            LocalAgeStudy.Plan plan = LocalAgeStudy.plan(conf, run, Runtime.getRuntime().maxMemory());
            if (plan.fits() || engine == Engine.local) {
                try {
                    s = AnalyzeJob.runLocal(conf, run, start, tablesOut, report, options, beforeWrite);
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
            SparkSession spark = session(sparkOptions);
            try {
                s = AnalyzeJob.run(spark, run, start, tablesOut, report, options, centiles, beforeWrite);
            } finally {
                if (owned) {
                    spark.stop();
                }
            }
        }
        return s;
    }

    /**
     * Before each table: the lock is still this command's (a job that took it over after this one went
     * silent must not find its tables overwritten); OutputLockedException (exit 2) when it is not.
     */
    private static AnalyzeJob.BeforeWrite held(OutputLock lock) {
        return () -> {
            try {
                lock.checkHeld();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the output lock could not be checked: " + e.getMessage(), e);
            }
        };
    }

    /**
     * Says plainly when the run held nothing to analyse (QC kept no rows) or a structure had too few
     * usable exams for an age effect (from the effects just computed, whichever engine ran).
     */
    private static int verdict(AnalyzeJob.Summary s) {
        long removed = s.qcRemoved().values().stream().mapToLong(Long::longValue).sum();
        if (s.qcTotal() - removed <= 0) {
            System.err.printf("analyze: no usable exams in %s: quality control kept 0 of %d measurement rows %s;"
                    + " no age effect could be estimated%n", s.run().folder(), s.qcTotal(), s.qcRemoved());
            return EXIT_NOTHING_TO_ANALYZE;
        }
        Map<String, Long> maxN = new TreeMap<>();
        Set<String> estimable = new HashSet<>();
        for (AgeEffect e : s.ageEffects()) {
            if (e.stratum().equals("all")) {
                maxN.merge(e.structure(), e.n(), Math::max);
                if (Double.isFinite(e.betaAge())) {
                    estimable.add(e.structure());
                }
            }
        }
        List<String> tooFew = new ArrayList<>();
        maxN.forEach((structure, n) -> {
            if (n < MIN_EXAMS) {
                tooFew.add(structure + " (" + n + ")");
            }
        });
        if (!tooFew.isEmpty()) {
            System.err.printf("analyze: too few usable exams (fewer than %d) for an age effect of %d structure(s):"
                    + " %s%n", MIN_EXAMS, tooFew.size(), String.join(", ", tooFew));
        }
        if (estimable.isEmpty()) {
            System.err.printf("analyze: no structure of %s had an estimable age effect%n", s.run().folder());
            return EXIT_NOTHING_TO_ANALYZE;
        }
        return 0;
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
     * start Spark's logging and Scala runtime, a second of a two-second run), and those of --conf,
     * which win as they do over spark-submit's in the Spark session.
     */
    static Configuration hadoopConf(Map<String, String> extra) {
        Configuration conf = new Configuration();
        for (String key : System.getProperties().stringPropertyNames()) {
            setHadoop(conf, key, System.getProperty(key));
        }
        extra.forEach((key, value) -> setHadoop(conf, key, value));
        return conf;
    }

    private static void setHadoop(Configuration conf, String sparkKey, String value) {
        if (sparkKey.startsWith("spark.hadoop.")) {
            conf.set(sparkKey.substring("spark.hadoop.".length()), value);
        }
    }

    /** spark-submit sets spark.master; a plain JVM gets local[*] on the loopback interface. */
    static SparkSession session(SparkOptions spark) {
        System.setProperty("java.awt.headless", "true");
        return spark.create("ctcohort analyze");
    }
}
