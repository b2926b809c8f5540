package io.ctcohort.analytics;

import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.centiles.CentileStudy;
import io.ctcohort.analytics.report.CentileReport;
import io.ctcohort.analytics.report.HtmlReport;
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
 * CSV copies and the HTML report into the report folder.
 */
public final class AnalyzeJob {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeJob.class);
    public static final String QC_CSV = "qc.csv";

    /** Where things went and how long each step took (ms). */
    public record Summary(RunFolders.Run run, Path tablesDir, java.nio.file.Path reportIndex, int effects,
                          long ageGroupRows, Map<String, Long> qcRemoved, long qcTotal, Map<String, Long> millis) {
    }

    private AnalyzeJob() {
    }

    /**
     * @param in        run folder, output root or flat folder (see {@link RunFolders})
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
        RunFolders.Run run = RunFolders.resolve(in, spark.sparkContext().hadoopConfiguration());
        LOG.info("analyze: run {}", run.folder());
        Dataset<Row> exams = spark.read().parquet(run.exams().toString());
        Dataset<Row> measurements = spark.read().parquet(run.measurements().toString());
        Map<String, Long> millis = new LinkedHashMap<>();
        millis.put("resolve+read", (System.nanoTime() - start) / 1_000_000);
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, options);
        CentileStudy.Result centiles = null;
        try {
            millis.putAll(result.millis());

            long t = System.nanoTime();
            Path tablesDir = tablesOut == null ? run.folder() : new Path(tablesOut);
            Dataset<Row> effectsDf = AgeEffects.toDataFrame(spark, result.effects());
            effectsDf.write().mode(SaveMode.Overwrite).parquet(new Path(tablesDir, RunFolders.AGE_EFFECTS).toString());
            Dataset<Row> groupsDf = AgeGroups.toDataFrame(spark, result.ageGroups());
            groupsDf.write().mode(SaveMode.Overwrite).parquet(new Path(tablesDir, RunFolders.AGE_GROUPS).toString());
            millis.put("write_tables", (System.nanoTime() - t) / 1_000_000);
            if (centileOptions.enabled() || centileOptions.ageSplineDf() > 0) {
                t = System.nanoTime();
                centiles = CentileStudy.run(spark, result.passed(), options.covariates().size(), centileOptions);
                LOG.info("analyze: wrote {}", centiles.write(tablesDir));
                millis.put("centiles", (System.nanoTime() - t) / 1_000_000);
            }

            java.nio.file.Path index = null;
            if (reportDir != null) {
                t = System.nanoTime();
                try {
                    Files.createDirectories(reportDir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create report folder " + reportDir, e);
                }
                CsvTables.write(reportDir.resolve(RunFolders.AGE_EFFECTS + ".csv"), AgeEffects.SCHEMA,
                        effectsDf.collectAsList());
                CsvTables.write(reportDir.resolve(RunFolders.AGE_GROUPS + ".csv"), AgeGroups.SCHEMA, groupsDf.collectAsList());
                CsvTables.write(reportDir.resolve(QC_CSV), qcSchema(), qcRows(result.qc()));
                Map<String, String> pages = centiles == null ? Map.of()
                        : CentileReport.writeFor(reportDir, centiles, result.plots(), run.folder().toString());
                index = HtmlReport.write(reportDir, result.effects(), result.plots(), new HtmlReport.Context(run.folder().toString(),
                        result.qc().removed(), result.qc().total(), describe(options),
                        List.of(RunFolders.AGE_EFFECTS + ".csv", RunFolders.AGE_GROUPS + ".csv", QC_CSV), pages));
                millis.put("report", (System.nanoTime() - t) / 1_000_000);
            }
            millis.put("total", (System.nanoTime() - start) / 1_000_000);
            Summary summary = new Summary(run, tablesDir, index, result.effects().size(), result.ageGroups().size(),
                    result.qc().removed(), result.qc().total(), millis);
            LOG.info("analyze: {} effects, {} age-group rows, QC removed {} of {} rows, timings ms {}", summary.effects(),
                    summary.ageGroupRows(), summary.qcRemoved(), summary.qcTotal(), millis);
            return summary;
        } finally {
            result.release(); // the cached QC output, also when writing fails
            if (centiles != null) {
                centiles.release();
            }
        }
    }

    private static StructType qcSchema() {
        return new StructType().add("rule", DataTypes.StringType).add("rows_removed", DataTypes.LongType);
    }

    private static List<Row> qcRows(QualityControl.Result qc) {
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create("rows_read", qc.total()));
        qc.removed().forEach((rule, n) -> rows.add(RowFactory.create(rule, n)));
        rows.add(RowFactory.create("rows_kept", qc.kept()));
        return rows;
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
}
