package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STATUS;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.MeasurementsTable.HU_MEAN;
import static io.ctcohort.core.tables.MeasurementsTable.HU_MEDIAN;
import static io.ctcohort.core.tables.MeasurementsTable.HU_P05;
import static io.ctcohort.core.tables.MeasurementsTable.HU_P95;
import static io.ctcohort.core.tables.MeasurementsTable.HU_STD;
import static io.ctcohort.core.tables.MeasurementsTable.LABEL;
import static io.ctcohort.core.tables.MeasurementsTable.TOUCHES_BORDER;
import static io.ctcohort.core.tables.MeasurementsTable.VOLUME_ML;
import static io.ctcohort.core.tables.MeasurementsTable.VOXEL_COUNT;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code validation} table: the model's segmentation of an exam held against a reference label
 * map of the same CT (docs/DESIGN.md "Validation and calibration"). One row per exam x structure x
 * model, with the Dice of the two masks and every measurements metric on both sides: {@code volume_ml}
 * (the model's) beside {@code volume_ml_reference}, and so on. An exam whose validation failed (a
 * reference that is missing, on another grid, or with another label set) is one row with a null
 * {@code structure}, {@code status} failed and {@code error_class} ending in the problem's code.
 */
public final class ValidationTable {
    public static final String NAME = "validation";

    /** Suffix of a metric's reference column: {@code volume_ml} -> {@code volume_ml_reference}. */
    public static final String REFERENCE_SUFFIX = "_reference";
    /** Dice of the model's and the reference's masks of the structure; null when both are empty. */
    public static final String DICE = "dice";
    /** Voxels in both masks (Dice's numerator is twice this). */
    public static final String OVERLAP_VOXELS = "overlap_voxels";
    public static final String VOXEL_COUNT_REFERENCE = VOXEL_COUNT + REFERENCE_SUFFIX;
    public static final String TOUCHES_BORDER_REFERENCE = TOUCHES_BORDER + REFERENCE_SUFFIX;

    /** The measurements metrics compared on both sides, in column order. */
    public static final List<String> METRICS = List.of(VOLUME_ML, HU_MEAN, HU_STD, HU_MEDIAN, HU_P05, HU_P95);

    public static final StructType SCHEMA;

    static {
        Schema s = new Schema().required(StringType, EXAM_ID).optional(StringType, STRUCTURE)
                .optional(LongType, LABEL).optional(DoubleType, DICE)
                .optional(LongType, VOXEL_COUNT, VOXEL_COUNT_REFERENCE, OVERLAP_VOXELS);
        for (String metric : METRICS) {
            s.optional(DoubleType, metric, reference(metric));
        }
        SCHEMA = s.optional(BooleanType, TOUCHES_BORDER, TOUCHES_BORDER_REFERENCE).required(StringType, STATUS)
                .optional(StringType, ExamsTable.ERROR_CLASS, ExamsTable.ERROR_MESSAGE).required(StringType, MODEL_ID)
                .struct();
    }

    private ValidationTable() {
    }

    /** The column holding the reference's value of {@code metric}. */
    public static String reference(String metric) {
        return metric + REFERENCE_SUFFIX;
    }
}
