package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/**
 * The {@code validation_summary} table: the agreement of the model with the reference per structure
 * x metric x model over the exams of the {@code validation} table (docs/DESIGN.md "Validation and
 * calibration" defines each statistic). {@code n} counts the exams with both sides present and
 * finite; the Dice columns count every validated exam where either mask holds the structure
 * ({@code n_dice}), so they repeat across a structure's metrics. {@code flag} names what falls outside
 * the configured ranges (null when nothing does); {@code reason} says why a statistic is null.
 */
public final class ValidationSummaryTable {
    public static final String NAME = "validation_summary";

    public static final String N_DICE = "n_dice", DICE_MEAN = "dice_mean", DICE_P05 = "dice_p05";
    // Bland-Altman of model - reference: mean difference, its SD and the 95 % limits of agreement.
    public static final String BIAS = "bias", SD_DIFFERENCE = "sd_difference";
    public static final String LOA_LOW = "loa_low", LOA_HIGH = "loa_high";
    // OLS of the model's value on the reference's: model = intercept + slope x reference + error.
    public static final String CALIBRATION_SLOPE = "calibration_slope", CALIBRATION_SLOPE_SE = "calibration_slope_se";
    public static final String CALIBRATION_INTERCEPT = "calibration_intercept";
    public static final String CALIBRATION_INTERCEPT_SE = "calibration_intercept_se";
    public static final String FLAG = "flag";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, STRUCTURE, METRIC).required(LongType, N, N_DICE)
            .optional(DoubleType, DICE_MEAN, DICE_P05, BIAS, SD_DIFFERENCE, LOA_LOW, LOA_HIGH, CALIBRATION_SLOPE,
                    CALIBRATION_SLOPE_SE, CALIBRATION_INTERCEPT, CALIBRATION_INTERCEPT_SE)
            .optional(StringType, FLAG, REASON).required(StringType, MODEL_ID).struct();

    private ValidationSummaryTable() {
    }
}
