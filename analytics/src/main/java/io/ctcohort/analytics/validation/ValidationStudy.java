package io.ctcohort.analytics.validation;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.AnalyticsException;
import io.ctcohort.analytics.calibration.CalibratedAgeEffects;
import io.ctcohort.analytics.calibration.CalibrationOptions;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ValidationTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.ctcohort.analytics.PassedRowReader;
import io.ctcohort.core.tables.ExamsTable;
import org.apache.spark.sql.Column;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.stddev_samp;

/**
 * The study's use of a run's {@code validation} table: its summary ({@code validation_summary}) and
 * the calibrated columns of {@code age_effects}. Absent when the run has no validation table.
 */
public final class ValidationStudy {
    private final ValidationSet set;
    private final String modelId;
    private final CalibrationOptions options;
    private final Map<String, ValidationExam> exams;
    private final int nCovariates;
    private final double cohortAgeSd;

    /**
     * @param exams       the validation exams' designs by exam_id (what a conditional calibration regresses on)
     * @param nCovariates the study's --covariate columns
     * @param cohortAgeSd the sample SD of the analysed exams' ages (NaN: not known)
     */
    public ValidationStudy(ValidationSet set, String modelId, CalibrationOptions options,
                           Map<String, ValidationExam> exams, int nCovariates, double cohortAgeSd) {
        this.set = set;
        this.modelId = modelId;
        this.options = options;
        this.exams = Map.copyOf(exams);
        this.nCovariates = nCovariates;
        this.cohortAgeSd = cohortAgeSd;
    }

    /** Whether the run holds a validation table (written by segment / measure for a manifest with references). */
    public static boolean present(OutputLayout.Run run, org.apache.hadoop.conf.Configuration conf) {
        Path table = run.table(ValidationTable.NAME);
        try {
            return OutputLayout.fileSystem(table, conf).exists(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for " + table, e);
        }
    }

    /**
     * The run's validation rows of the study's model ({@code modelId}, or the table's only model), or
     * null when the run has no validation table; with the validation exams' designs and the cohort's age
     * SD taken from {@code passed}, QC's passing measurement rows (exam_id, age, sex, the covariates as
     * QC names them, contrast_phase), so that they are the values the study fitted.
     */
    public static ValidationStudy read(SparkSession spark, OutputLayout.Run run, String modelId,
                                       CalibrationOptions options, Dataset<Row> passed, int nCovariates) {
        if (!present(run, spark.sparkContext().hadoopConfiguration())) {
            return null;
        }
        Dataset<Row> table = spark.read().parquet(run.table(ValidationTable.NAME).toString());
        String model = modelId;
        if (model == null) {
            List<Row> models = table.select(Columns.MODEL_ID).distinct().collectAsList();
            if (models.size() > 1) {
                throw new AnalyticsException(run.table(ValidationTable.NAME) + ": holds " + models.size()
                        + " models; name the one to study (--model)");
            }
            model = models.isEmpty() ? null : models.get(0).getString(0);
        }
        List<Row> rows = model == null ? List.of()
                : table.filter(functions.col(Columns.MODEL_ID).equalTo(model)).collectAsList();
        ValidationSet set = ValidationSet.fromRows(rows);
        // QC's names of the covariate columns, found as the study's row reader finds them
        PassedRowReader reader = PassedRowReader.of(passed.schema(), nCovariates);
        List<String> covariates = new ArrayList<>();
        for (int c = 0; c < nCovariates; c++) {
            covariates.add(passed.schema().fieldNames()[reader.covariates()[c]]);
        }
        List<Column> cols = new ArrayList<>(List.of(col(Columns.EXAM_ID), col(Columns.AGE), col(Columns.SEX)));
        covariates.forEach(c -> cols.add(col(c)));
        cols.add(col(ExamsTable.CONTRAST_PHASE));
        Dataset<Row> analysed = passed.select(cols.toArray(Column[]::new)).distinct()
                .filter(col(Columns.AGE).isNotNull().and(not(isnan(col(Columns.AGE))))
                        .and(col(Columns.SEX).isin("F", "M")));
        Row sd = analysed.agg(stddev_samp(col(Columns.AGE))).first();
        double cohortAgeSd = sd.isNullAt(0) ? Double.NaN : sd.getDouble(0);
        Map<String, ValidationExam> exams = new HashMap<>();
        Object[] ids = set.pairs().stream().map(ValidationPair::examId).distinct().toArray();
        if (ids.length > 0) {
            for (Row r : analysed.filter(col(Columns.EXAM_ID).isin(ids)).collectAsList()) {
                double[] cov = new double[nCovariates];
                for (int c = 0; c < nCovariates; c++) {
                    cov[c] = r.isNullAt(3 + c) ? Double.NaN : r.getDouble(3 + c);
                }
                String phase = r.isNullAt(3 + nCovariates) ? null : r.getString(3 + nCovariates);
                exams.put(r.getString(0), new ValidationExam(r.getString(0), r.getDouble(1), r.getString(2), cov,
                        phase));
            }
        }
        return new ValidationStudy(set, model, options, exams, nCovariates, cohortAgeSd);
    }

    /** The {@code validation_summary} rows. */
    public List<Row> summaryRows() {
        return ValidationSummary.rows(summaries(), modelId);
    }

    /** The agreement per structure x metric ({@code validation_summary}'s rows before they are rows). */
    public List<AgreementSummary> summaries() {
        return ValidationSummary.summarize(set, options);
    }

    /** The validation exams' pairs and Dice (the report draws them). */
    public ValidationSet set() {
        return set;
    }

    /** {@code effectRows} (the age_effects rows of {@code effects}, in the same order) with the calibrated columns. */
    public List<Row> calibrate(List<AgeEffect> effects, List<Row> effectRows) {
        return CalibratedAgeEffects.withCalibration(effectRows, calibrated(effects));
    }

    /** Every effect's calibration ({@link CalibratedAgeEffects#calibrate}). */
    public java.util.Map<CalibratedAgeEffects.Key, io.ctcohort.analytics.calibration.CalibratedEffect> calibrated(
            List<AgeEffect> effects) {
        return CalibratedAgeEffects.calibrate(effects, set, exams, nCovariates, cohortAgeSd, options);
    }
}
