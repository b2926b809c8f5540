package io.ctcohort.analytics;

import io.ctcohort.analytics.calibration.CalibrationOptions;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.centiles.CentileStudy;
import io.ctcohort.analytics.local.LocalAgeStudy;
import io.ctcohort.analytics.local.ParquetTables;
import io.ctcohort.analytics.report.CentileReport;
import io.ctcohort.analytics.report.HtmlReport;
import io.ctcohort.analytics.report.ValidationReport;
import io.ctcohort.analytics.validation.ValidationStudy;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeGroupsTable;
import io.ctcohort.core.tables.ValidationSummaryTable;
import io.ctcohort.core.tables.BiomarkersTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code analyze} job: resolve the run, read exams + measurements, run the study, write
 * {@code age_effects/} and {@code age_groups/} (Parquet) into the run folder (or {@code tablesOut}),
 * and, if asked, CSV copies and the HTML report into the report folder. Two engines, identical
 * results: {@link #run} (Spark: reads, QC joins, one shuffle) and {@link #runLocal} (plain Java over
 * the Parquet files, for a cohort that fits in memory; see {@link LocalAgeStudy}).
 */
public final class AnalyzeJob {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeJob.class);
    public static final String QC_CSV = "qc.csv";
    /** qc.csv names the biomarkers' QC rows with this prefix (e.g. biomarkers:no_value). */
    public static final String BIOMARKER_QC_PREFIX = "biomarkers:";
    public static final String ENGINE_SPARK = "spark";
    public static final String ENGINE_LOCAL = "local";

    /** Where things went, which engine ran and how long each step took (ms). */
    public record Summary(OutputLayout.Run run, Path tablesDir, java.nio.file.Path reportIndex, int effects,
                          long ageGroupRows, Map<String, Long> qcRemoved, long qcTotal, Map<String, Long> millis,
                          String engine, List<AgeEffect> ageEffects, String phase, String biomarkerQc) {
    }

    private AnalyzeJob() {
    }

    /**
     * The Spark engine.
     *
     * @param in        run folder, output root or flat folder (see {@link OutputLayout})
     * @param tablesOut folder for age_effects/ and age_groups/; null = the run folder itself
     * @param reportDir local folder for index.html, plots and CSV copies; null = no report
     */
    public static Summary run(SparkSession spark, String in, String tablesOut, java.nio.file.Path reportDir,
                              StudyOptions options) {
        return run(spark, in, tablesOut, reportDir, options, CentileOptions.defaults());
    }

    /**
     * As above, plus the centile pass as {@code centileOptions} say ({@link CentileStudy}): the tables
     * reference_centiles/ and exam_scores/ (and age_spline/ with --age-spline) beside age_effects/, and
     * the report's centile page.
     */
    public static Summary run(SparkSession spark, String in, String tablesOut, java.nio.file.Path reportDir,
                              StudyOptions options, CentileOptions centileOptions) {
        long start = System.nanoTime();
        OutputLayout.Run run = OutputLayout.resolve(in, spark.sparkContext().hadoopConfiguration());
        return run(spark, run, start, tablesOut, reportDir, options, centileOptions);
    }

    /** The Spark engine on a resolved run; {@code start} is when the command started (for the total). */
    public static Summary run(SparkSession spark, OutputLayout.Run run, long start, String tablesOut,
                              java.nio.file.Path reportDir, StudyOptions options, CentileOptions centileOptions) {
        return run(spark, run, start, tablesOut, reportDir, options, centileOptions, NO_CHECK);
    }

    /** As above, {@code beforeWrite} called before each table is written (the command: its lock still held). */
    public static Summary run(SparkSession spark, OutputLayout.Run run, long start, String tablesOut,
                              java.nio.file.Path reportDir, StudyOptions options, CentileOptions centileOptions,
                              BeforeWrite beforeWrite) {
        LOG.info("analyze: run {} (engine spark)", run.folder());
        long t = System.nanoTime();
        Dataset<Row> exams = spark.read().parquet(run.exams().toString());
        Dataset<Row> measurements = spark.read().parquet(run.measurements().toString());
        Path biomarkersPath = biomarkers(run, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> biomarkers = biomarkersPath == null ? null : spark.read().parquet(biomarkersPath.toString());
        Map<String, Long> millis = new LinkedHashMap<>();
        millis.put("resolve+read", (System.nanoTime() - t) / 1_000_000);
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, biomarkers, options, reportDir != null);
        try {
            ValidationStudy validation = ValidationStudy.read(spark, run, options.modelId(), options.calibration(),
                    result.passed(), options.covariates().size());
            millis.putAll(result.millis());
            Path tablesDir = tablesOut == null ? run.folder() : new Path(tablesOut);
            CentileStep centiles = !centileOptions.enabled() && centileOptions.ageSplineDf() == 0 ? null : dir -> {
                long c = System.nanoTime();
                CentileStudy.Result r = CentileStudy.run(spark, result.passed(), result.passedBiomarkers(),
                        options.covariates().size(), centileOptions, result.phases());
                beforeWrite.check();
                LOG.info("analyze: wrote {}", r.write(dir));
                millis.put("centiles", (System.nanoTime() - c) / 1_000_000);
                return r;
            };
            return finish(ENGINE_SPARK, run, tablesDir, (dir, schema, rows) -> {
                        beforeWrite.check();
                        LocalTables.frame(spark, rows, schema).write().mode(SaveMode.Overwrite).parquet(dir.toString());
                    },
                    result.effects(), result.ageGroups(), result.plots(), Qc.of(result.qc()),
                    reportDir, options, result.phases(), millis, start, centiles, validation);
        } finally {
            result.release(); // the cached QC output, also when writing fails
        }
    }

    /**
     * The plain-Java engine (no Spark session): the same tables, CSV copies and report.
     *
     * @throws LocalAgeStudy.Declined when the tables hold something only Spark reads (the caller then runs {@link #run})
     */
    public static Summary runLocal(Configuration conf, OutputLayout.Run run, long start, String tablesOut,
                                   java.nio.file.Path reportDir, StudyOptions options) throws LocalAgeStudy.Declined {
        return runLocal(conf, run, start, tablesOut, reportDir, options, NO_CHECK);
    }

    /** As above, {@code beforeWrite} called before each table is written (the command: its lock still held). */
    public static Summary runLocal(Configuration conf, OutputLayout.Run run, long start, String tablesOut,
                                   java.nio.file.Path reportDir, StudyOptions options, BeforeWrite beforeWrite)
            throws LocalAgeStudy.Declined {
        LOG.info("analyze: run {} (engine local)", run.folder());
        LocalAgeStudy.Result result = LocalAgeStudy.run(conf, run.exams(), run.measurements(), biomarkers(run, conf),
                options, reportDir != null);
        Map<String, Long> millis = new LinkedHashMap<>(result.millis());
        Path tablesDir = tablesOut == null ? run.folder() : new Path(tablesOut);
        return finish(ENGINE_LOCAL, run, tablesDir, (dir, schema, rows) -> {
            beforeWrite.check();
            try {
                ParquetTables.write(conf, dir, schema, rows);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir, e);
            }
        }, result.effects(), result.ageGroups(), result.plots(), new Qc(result.total(), result.removed(),
                result.biomarkerTotal(), result.biomarkerRemoved()), reportDir, options, result.phases(), millis, start,
                null, null);
    }

    /**
     * The run's biomarkers table beside its exams ({@code biomarkers/}, or {@code biomarkers.parquet} in
     * the flat layout), or null: runs from before biomarkers have none, and are analysed as before.
     */
    public static Path biomarkers(OutputLayout.Run run, Configuration conf) {
        String name = run.exams().getName().endsWith(OutputLayout.FLAT_SUFFIX)
                ? BiomarkersTable.NAME + OutputLayout.FLAT_SUFFIX : BiomarkersTable.NAME;
        Path p = new Path(run.exams().getParent(), name);
        try {
            return OutputLayout.fileSystem(p, conf).exists(p) ? p : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for " + p, e);
        }
    }

    /** The QC counts: measurement rows, and biomarker rows (removed null: no biomarkers table). */
    private record Qc(long total, Map<String, Long> removed, long biomarkerTotal, Map<String, Long> biomarkerRemoved) {
        static Qc of(QualityControl.Result qc) {
            QualityControl.Biomarkers b = qc.biomarkers();
            return new Qc(qc.total(), qc.removed(), b == null ? 0 : b.total(), b == null ? null : b.removed());
        }
    }

    /**
     * Called before each result table is written; throws to stop the writes, e.g. when the command's
     * output lock was taken over by another job ({@code OutputLock.checkHeld}).
     */
    @FunctionalInterface
    public interface BeforeWrite {
        void check();
    }

    private static final BeforeWrite NO_CHECK = () -> { };

    /** Writes one result table (replacing an older one). */
    private interface TableWriter {
        void write(Path dir, StructType schema, List<Row> rows);
    }

    /** The centile pass (Spark engine only), run once the age-study tables are written. */
    private interface CentileStep {
        CentileStudy.Result run(Path tablesDir);
    }

    private static Summary finish(String engine, OutputLayout.Run run, Path tablesDir, TableWriter writer,
                                  List<AgeEffect> effects, List<AgeGroupRow> ageGroups,
                                  Map<String, io.ctcohort.analytics.report.PlotData> plots, Qc qc,
                                  java.nio.file.Path reportDir, StudyOptions options, PhasePlan phases,
                                  Map<String, Long> millis, long start, CentileStep centileStep,
                                  ValidationStudy validation) {
        long qcTotal = qc.total();
        Map<String, Long> qcRemoved = qc.removed();
        long t = System.nanoTime();
        List<Row> effectRows = AgeEffects.rows(effects);
        Map<io.ctcohort.analytics.calibration.CalibratedAgeEffects.Key,
                io.ctcohort.analytics.calibration.CalibratedEffect> calibrated = null;
        if (validation != null) { // the run has reference segmentations: calibrate, and summarize the agreement
            calibrated = validation.calibrated(effects);
            effectRows = io.ctcohort.analytics.calibration.CalibratedAgeEffects.withCalibration(effectRows, calibrated);
            writer.write(new Path(tablesDir, ValidationSummaryTable.NAME), ValidationSummaryTable.SCHEMA,
                    validation.summaryRows());
        }
        List<Row> groupRows = AgeGroups.rows(ageGroups);
        writer.write(new Path(tablesDir, AgeEffectsTable.NAME), AgeEffectsTable.SCHEMA, effectRows);
        writer.write(new Path(tablesDir, AgeGroupsTable.NAME), AgeGroupsTable.SCHEMA, groupRows);
        millis.put("write_tables", (System.nanoTime() - t) / 1_000_000);
        CentileStudy.Result centiles = centileStep == null ? null : centileStep.run(tablesDir);
        try {
            java.nio.file.Path index = report(run, effects, plots, qc, reportDir, options, phases, millis,
                    effectRows, groupRows, centiles, validation, calibrated);
            millis.put("total", (System.nanoTime() - start) / 1_000_000);
            Summary summary = new Summary(run, tablesDir, index, effects.size(), ageGroups.size(), qcRemoved, qcTotal,
                    millis, engine, effects, describe(phases), qc.biomarkerRemoved() == null ? null
                    : "QC kept " + (qc.biomarkerTotal() - qc.biomarkerRemoved().values().stream()
                    .mapToLong(Long::longValue).sum()) + " of " + qc.biomarkerTotal() + " rows " + qc.biomarkerRemoved());
            LOG.info("analyze: {} effects, {} age-group rows, QC removed {} of {} rows, engine {}, phase {}, "
                    + "timings ms {}",
                    summary.effects(), summary.ageGroupRows(), summary.qcRemoved(), summary.qcTotal(), engine,
                    describe(phases), millis);
            return summary;
        } finally {
            if (centiles != null) {
                centiles.release();
            }
        }
    }

    private static java.nio.file.Path report(OutputLayout.Run run, List<AgeEffect> effects,
                                             Map<String, io.ctcohort.analytics.report.PlotData> plots, Qc qc,
                                             java.nio.file.Path reportDir, StudyOptions options, PhasePlan phases,
                                             Map<String, Long> millis, List<Row> effectRows,
                                             List<Row> groupRows, CentileStudy.Result centiles,
                                             ValidationStudy validation,
                                             Map<io.ctcohort.analytics.calibration.CalibratedAgeEffects.Key,
                                                     io.ctcohort.analytics.calibration.CalibratedEffect> calibrated) {
        long qcTotal = qc.total();
        Map<String, Long> qcRemoved = qc.removed();
        java.nio.file.Path index = null;
        if (reportDir != null) {
            long t = System.nanoTime();
            try {
                Files.createDirectories(reportDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create report folder " + reportDir, e);
            }
            CsvTables.write(reportDir.resolve(AgeEffectsTable.NAME + ".csv"), AgeEffectsTable.SCHEMA, effectRows);
            CsvTables.write(reportDir.resolve(AgeGroupsTable.NAME + ".csv"), AgeGroupsTable.SCHEMA, groupRows);
            List<Row> qcRows = qcRows("", qcTotal, qcRemoved);
            if (qc.biomarkerRemoved() != null) {
                qcRows.addAll(qcRows(BIOMARKER_QC_PREFIX, qc.biomarkerTotal(), qc.biomarkerRemoved()));
            }
            CsvTables.write(reportDir.resolve(QC_CSV), qcSchema(), qcRows);
            Map<String, String> pages = new LinkedHashMap<>();
            if (centiles != null) {
                pages.putAll(CentileReport.writeFor(reportDir, centiles, plots, reportSource(run)));
            }
            List<String> calibratedForests = List.of();
            List<String> csvFiles = new ArrayList<>(List.of(AgeEffectsTable.NAME + ".csv",
                    AgeGroupsTable.NAME + ".csv", QC_CSV));
            if (validation != null) { // the validation page, and raw beside calibrated effects on the index
                List<io.ctcohort.analytics.validation.AgreementSummary> summaries = validation.summaries();
                pages.putAll(ValidationReport.write(reportDir, validation.set(), summaries, effects, calibrated,
                        reportSource(run)));
                calibratedForests = ValidationReport.calibratedMetrics(effects, calibrated).stream()
                        .map(ValidationReport::calibratedForest).toList();
                CsvTables.write(reportDir.resolve(ValidationSummaryTable.NAME + ".csv"), ValidationSummaryTable.SCHEMA,
                        validation.summaryRows());
                csvFiles.add(ValidationSummaryTable.NAME + ".csv");
            }
            index = HtmlReport.write(reportDir, effects, plots, new HtmlReport.Context(reportSource(run),
                    qcRemoved, qcTotal, describe(options) + "; contrast phase: " + describe(phases),
                    csvFiles, pages, calibratedForests));
            millis.put("report", (System.nanoTime() - t) / 1_000_000);
        }
        return index;
    }

    private static StructType qcSchema() {
        return new StructType().add("rule", DataTypes.StringType).add("rows_removed", DataTypes.LongType);
    }

    /** qc.csv's rows of one table; the biomarkers' rules are named with {@link #BIOMARKER_QC_PREFIX}. */
    private static List<Row> qcRows(String prefix, long total, Map<String, Long> removed) {
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(prefix + "rows_read", total));
        removed.forEach((rule, n) -> rows.add(RowFactory.create(prefix + rule, n)));
        rows.add(RowFactory.create(prefix + "rows_kept",
                total - removed.values().stream().mapToLong(Long::longValue).sum()));
        return rows;
    }

    /** How the phase was treated, for the log and the report. */
    static String describe(PhasePlan p) {
        if (p.known().isEmpty()) {
            return "not recorded (no exam of a known phase)";
        }
        String phases = String.join(", ", p.known());
        if (!p.mixed()) {
            return "one known phase (" + phases + "): no adjustment";
        }
        return switch (p.mode()) {
            case ADJUST -> "attenuation metrics adjusted for phase (" + phases + "; reference native; exams of "
                    + "unknown phase left out of them); their centiles from native exams";
            case STRATIFY -> "attenuation metrics fitted per phase (" + phases + "); their centiles from native exams";
            case IGNORE -> "ignored (--phase ignore) although the exams hold " + phases;
        };
    }

    private static String describe(StudyOptions o) {
        StringBuilder s = new StringBuilder();
        if (o.ageSquared()) {
            s.append(" + (age - mean age)^2");
        }
        for (String c : o.covariates()) {
            s.append(" + ").append(c);
        }
        if (!o.minVolumeMl().isEmpty()) {
            s.append("; minimum-volume QC for ").append(o.minVolumeMl().size()).append(" structures");
        }
        if (o.modelId() != null) {
            s.append("; model ").append(o.modelId());
        }
        if (!o.borderExempt().isEmpty()) {
            s.append("; border rule off for ").append(String.join(", ", new java.util.TreeSet<>(o.borderExempt())));
        }
        return s.toString();
    }

    /** The report names its run by the run's folder name alone: a shared report holds no path. */
    static String reportSource(OutputLayout.Run run) {
        return "run " + run.folder().getName();
    }
}
