package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.IMAGE_URI;
import static io.ctcohort.core.tables.Columns.SEX;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/**
 * The {@code series} table {@code catalog} writes: one row per DICOM series, or per unreadable file
 * (its {@code error}); {@code selected} marks the one series per study that goes into the manifest.
 * The catalog's SQL selects these columns in this order (nullability is Spark's).
 */
public final class SeriesTable {
    public static final String NAME = "series";

    // Which series of which study of which patient.
    public static final String STUDY_INSTANCE_UID = "study_instance_uid", SERIES_INSTANCE_UID = "series_instance_uid";
    public static final String PATIENT_ID = "patient_id", STUDY_DATE = "study_date", MODALITY = "modality";
    // What was reconstructed, and how.
    public static final String SERIES_DESCRIPTION = "series_description", IMAGE_TYPE = "image_type";
    public static final String CONVOLUTION_KERNEL = "convolution_kernel", KERNEL_CLASS = "kernel_class";
    // Its grid.
    public static final String SLICE_THICKNESS = "slice_thickness", SLICE_SPACING = "slice_spacing";
    public static final String ROWS = "rows", COLUMNS = "columns", PIXEL_SPACING = "pixel_spacing";
    public static final String INSTANCE_COUNT = "instance_count", LOCALIZER_COUNT = "localizer_count";
    public static final String ORIENTATION = "orientation", BODY_PART = "body_part";
    // What the header says of contrast: ContrastBolusAgent (0018,0010) and ContrastBolusRoute (0018,1040).
    public static final String CONTRAST_AGENT = "contrast_agent", CONTRAST_ROUTE = "contrast_route";
    public static final String MANUFACTURER = "manufacturer", KVP = "kvp";
    // Its files.
    public static final String TRANSFER_SYNTAX_UID = "transfer_syntax_uid", SERIES_NUMBER = "series_number";
    public static final String SIZE_BYTES = "size_bytes", ERROR = "error", SELECTED = "selected";

    public static final StructType SCHEMA = new Schema()
            .optional(StringType, STUDY_INSTANCE_UID, SERIES_INSTANCE_UID, PATIENT_ID, SEX).optional(DoubleType, AGE)
            .optional(StringType, STUDY_DATE, MODALITY, SERIES_DESCRIPTION, IMAGE_TYPE, CONVOLUTION_KERNEL, KERNEL_CLASS)
            .optional(DoubleType, SLICE_THICKNESS, SLICE_SPACING).optional(IntegerType, ROWS, COLUMNS)
            .optional(DoubleType, PIXEL_SPACING).optional(IntegerType, INSTANCE_COUNT, LOCALIZER_COUNT)
            .optional(StringType, ORIENTATION, CONTRAST_AGENT, CONTRAST_ROUTE, BODY_PART, MANUFACTURER).optional(DoubleType, KVP)
            .optional(StringType, TRANSFER_SYNTAX_UID).optional(IntegerType, SERIES_NUMBER)
            .optional(StringType, IMAGE_URI).optional(LongType, SIZE_BYTES).optional(StringType, ERROR)
            .optional(BooleanType, SELECTED).struct();

    private SeriesTable() {
    }
}
