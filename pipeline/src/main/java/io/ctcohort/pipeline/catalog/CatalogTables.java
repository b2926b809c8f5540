package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.tables.RowBuilder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The catalog's internal table {@link #FILES}: one row per file, on the executors. The table
 * {@code catalog} writes from it is {@link io.ctcohort.core.tables.SeriesTable}.
 */
public final class CatalogTables {
    private static final DataType S = DataTypes.StringType;
    private static final DataType D = DataTypes.DoubleType;
    private static final DataType I = DataTypes.IntegerType;

    /** One row per file under the archive root. */
    public static final StructType FILES = new StructType()
            .add("file", S, false)
            .add("folder", S, false)
            .add("size_bytes", DataTypes.LongType, false)
            .add("dicom", DataTypes.BooleanType, false)
            .add("error", S)
            .add("study_instance_uid", S)
            .add("series_instance_uid", S)
            .add("patient_id", S)
            .add("sex", S)
            .add("age", D)
            .add("study_date", S)
            .add("modality", S)
            .add("series_description", S)
            .add("image_type", S)
            .add("convolution_kernel", S)
            .add("kernel_class", S)
            .add("slice_thickness", D)
            .add("rows", I)
            .add("columns", I)
            .add("pixel_spacing", D)
            .add("orientation", S)
            .add("contrast_agent", S)
            .add("body_part", S)
            .add("manufacturer", S)
            .add("kvp", D)
            .add("transfer_syntax_uid", S)
            .add("series_number", I)
            .add("is_localizer", DataTypes.BooleanType, false)
            .add("position", D);

    private CatalogTables() {
    }

    /** A {@link #FILES} row, built by column name (the rest of its values are set by the caller). */
    static RowBuilder fileRow(String file, String folder, long size, boolean dicom, String error) {
        return new RowBuilder(FILES).set("file", file).set("folder", folder).set("size_bytes", size).set("dicom", dicom)
                .set("error", error);
    }
}
