package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STATUS;

import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code exams} table: one row per exam and model, key (exam_id, model_id). It is the manifest's
 * columns (exam_id, image_uri, age, sex, ...) followed by {@link #RESULT}, what processing the exam gave.
 */
public final class ExamsTable {
    public static final String NAME = "exams";

    public static final String INPUT_FINGERPRINT = "input_fingerprint";
    public static final String ERROR_CLASS = "error_class";
    public static final String ERROR_MESSAGE = "error_message";
    public static final String DIM_X = "dim_x";
    public static final String DIM_Y = "dim_y";
    public static final String DIM_Z = "dim_z";
    public static final String SPACING_X = "spacing_x";
    public static final String SPACING_Y = "spacing_y";
    public static final String SPACING_Z = "spacing_z";
    public static final String DEVICE = "device";
    public static final String MODEL_SHA256 = "model_sha256";
    public static final String PIPELINE_VERSION = "pipeline_version";
    public static final String PROCESSED_AT = "processed_at";

    /** The result columns, after the manifest's; {@code <stage>_ms} per {@link Stage}. */
    public static final StructType RESULT;

    static {
        StructType s = new StructType()
                .add(INPUT_FINGERPRINT, DataTypes.StringType)
                .add(STATUS, DataTypes.StringType, false)
                .add(ERROR_CLASS, DataTypes.StringType)
                .add(ERROR_MESSAGE, DataTypes.StringType)
                .add(DIM_X, DataTypes.IntegerType)
                .add(DIM_Y, DataTypes.IntegerType)
                .add(DIM_Z, DataTypes.IntegerType)
                .add(SPACING_X, DataTypes.DoubleType)
                .add(SPACING_Y, DataTypes.DoubleType)
                .add(SPACING_Z, DataTypes.DoubleType);
        for (Stage stage : Stage.values()) {
            s = s.add(stage.column(), DataTypes.LongType);
        }
        RESULT = s.add(DEVICE, DataTypes.StringType)
                .add(MODEL_ID, DataTypes.StringType, false)
                .add(MODEL_SHA256, DataTypes.StringType, false)
                .add(PIPELINE_VERSION, DataTypes.StringType)
                .add(PROCESSED_AT, DataTypes.TimestampType);
    }

    /** exam_id and {@link #RESULT}: a result before it is joined with its manifest row. */
    public static final StructType RESULT_KEYED;

    static {
        StructType s = new StructType().add(EXAM_ID, DataTypes.StringType, false);
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
