package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STATUS;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.Arrays;
import java.util.Set;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code exams} table: one row per exam and model, key (exam_id, model_id). It is the manifest's
 * columns (exam_id, image_uri, age, sex, ...) followed by {@link #RESULT}, what processing the exam gave.
 */
public final class ExamsTable {
    public static final String NAME = "exams";

    public static final String INPUT_FINGERPRINT = "input_fingerprint";
    public static final String ERROR_CLASS = "error_class", ERROR_MESSAGE = "error_message";
    // The image's voxel grid.
    public static final String DIM_X = "dim_x", DIM_Y = "dim_y", DIM_Z = "dim_z";
    public static final String SPACING_X = "spacing_x", SPACING_Y = "spacing_y", SPACING_Z = "spacing_z";
    // Where, with what model and code, and when it was processed.
    public static final String DEVICE = "device", MODEL_SHA256 = "model_sha256";
    public static final String PIPELINE_VERSION = "pipeline_version", PROCESSED_AT = "processed_at";
    // The exam's contrast phase (native | arterial | portal_venous | delayed | unknown) and its source
    // (manifest | dicom | estimated): every attenuation figure depends on it.
    public static final String CONTRAST_PHASE = "contrast_phase", CONTRAST_PHASE_SOURCE = "contrast_phase_source";

    /** The result columns, after the manifest's; {@code <stage>_ms} per {@link Stage}. */
    public static final StructType RESULT = new Schema()
            .optional(StringType, INPUT_FINGERPRINT).required(StringType, STATUS)
            .optional(StringType, ERROR_CLASS, ERROR_MESSAGE)
            .optional(IntegerType, DIM_X, DIM_Y, DIM_Z).optional(DoubleType, SPACING_X, SPACING_Y, SPACING_Z)
            .optional(LongType, Arrays.stream(Stage.values()).map(Stage::column).toArray(String[]::new))
            .optional(StringType, DEVICE).required(StringType, MODEL_ID, MODEL_SHA256)
            .optional(StringType, PIPELINE_VERSION).optional(TimestampType, PROCESSED_AT)
            .optional(StringType, CONTRAST_PHASE, CONTRAST_PHASE_SOURCE).struct();

    /** exam_id and {@link #RESULT}: a result before it is joined with its manifest row. */
    public static final StructType RESULT_KEYED;

    static {
        StructType s = new StructType().add(EXAM_ID, StringType, false);
        for (StructField f : RESULT.fields()) {
            s = s.add(f);
        }
        RESULT_KEYED = s;
    }

    private ExamsTable() {
    }

    /** Names a manifest may not use: they are result columns. */
    public static Set<String> reservedColumns() {
        return Set.of(RESULT.fieldNames());
    }
}
