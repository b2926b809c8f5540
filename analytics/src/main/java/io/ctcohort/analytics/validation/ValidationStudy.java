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
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The study's use of a run's {@code validation} table: its summary ({@code validation_summary}) and
 * the calibrated columns of {@code age_effects}. Absent when the run has no validation table.
 */
public final class ValidationStudy {
    private final ValidationSet set;
    private final String modelId;
    private final CalibrationOptions options;

    public ValidationStudy(ValidationSet set, String modelId, CalibrationOptions options) {
        this.set = set;
        this.modelId = modelId;
        this.options = options;
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
     * null when the run has no validation table.
     */
    public static ValidationStudy read(SparkSession spark, OutputLayout.Run run, String modelId,
                                       CalibrationOptions options) {
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
        return new ValidationStudy(ValidationSet.fromRows(rows), model, options);
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
        return CalibratedAgeEffects.calibrate(effects, set, options);
    }
}
