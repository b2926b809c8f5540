package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.IMAGE_URI;
import static io.ctcohort.core.tables.Columns.SEX;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code series} table {@code catalog} writes: one row per DICOM series, or per unreadable file
 * (its {@code error}); {@code selected} marks the one series per study that goes into the manifest.
 * The catalog's SQL selects these columns in this order (nullability is Spark's).
 */
public final class SeriesTable {
    public static final String NAME = "series";

    public static final String STUDY_INSTANCE_UID = "study_instance_uid";
    public static final String SERIES_INSTANCE_UID = "series_instance_uid";
    public static final String PATIENT_ID = "patient_id";
    public static final String STUDY_DATE = "study_date";
    public static final String MODALITY = "modality";
    public static final String SERIES_DESCRIPTION = "series_description";
    public static final String IMAGE_TYPE = "image_type";
    public static final String CONVOLUTION_KERNEL = "convolution_kernel";
    public static final String KERNEL_CLASS = "kernel_class";
    public static final String SLICE_THICKNESS = "slice_thickness";
    public static final String SLICE_SPACING = "slice_spacing";
    public static final String ROWS = "rows";
    public static final String COLUMNS = "columns";
    public static final String PIXEL_SPACING = "pixel_spacing";
    public static final String INSTANCE_COUNT = "instance_count";
    public static final String LOCALIZER_COUNT = "localizer_count";
    public static final String ORIENTATION = "orientation";
    public static final String CONTRAST_AGENT = "contrast_agent";
    public static final String BODY_PART = "body_part";
    public static final String MANUFACTURER = "manufacturer";
    public static final String KVP = "kvp";
    public static final String TRANSFER_SYNTAX_UID = "transfer_syntax_uid";
    public static final String SERIES_NUMBER = "series_number";
    public static final String SIZE_BYTES = "size_bytes";
    public static final String ERROR = "error";
    public static final String SELECTED = "selected";

    private static final DataType S = DataTypes.StringType;
    private static final DataType D = DataTypes.DoubleType;
    private static final DataType I = DataTypes.IntegerType;

    public static final StructType SCHEMA = new StructType()
            .add(STUDY_INSTANCE_UID, S)
            .add(SERIES_INSTANCE_UID, S)
            .add(PATIENT_ID, S)
            .add(SEX, S)
            .add(AGE, D)
            .add(STUDY_DATE, S)
            .add(MODALITY, S)
            .add(SERIES_DESCRIPTION, S)
            .add(IMAGE_TYPE, S)
            .add(CONVOLUTION_KERNEL, S)
            .add(KERNEL_CLASS, S)
            .add(SLICE_THICKNESS, D)
            .add(SLICE_SPACING, D)
            .add(ROWS, I)
            .add(COLUMNS, I)
            .add(PIXEL_SPACING, D)
            .add(INSTANCE_COUNT, I)
            .add(LOCALIZER_COUNT, I)
            .add(ORIENTATION, S)
            .add(CONTRAST_AGENT, S)
            .add(BODY_PART, S)
            .add(MANUFACTURER, S)
            .add(KVP, D)
            .add(TRANSFER_SYNTAX_UID, S)
            .add(SERIES_NUMBER, I)
            .add(IMAGE_URI, S)
            .add(SIZE_BYTES, DataTypes.LongType)
            .add(ERROR, S)
            .add(SELECTED, DataTypes.BooleanType);

    private SeriesTable() {
    }
}
