package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.core.tables.SeriesTable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The catalog's internal table {@link #FILES}: one row per file, on the executors. The table
 * {@code catalog} writes from it is {@link SeriesTable}.
 */
public final class CatalogTables {
    private static final DataType S = DataTypes.StringType;
    private static final DataType D = DataTypes.DoubleType;
    private static final DataType I = DataTypes.IntegerType;

    // Columns of the files table only; the rest are the series table's.
    static final String FILE = "file";
    static final String FOLDER = "folder";
    static final String DICOM = "dicom";
    static final String IS_LOCALIZER = "is_localizer";
    static final String POSITION = "position";

    /** One row per file under the archive root. */
    public static final StructType FILES = new StructType()
            .add(FILE, S, false)
            .add(FOLDER, S, false)
            .add(SeriesTable.SIZE_BYTES, DataTypes.LongType, false)
            .add(DICOM, DataTypes.BooleanType, false)
            .add(SeriesTable.ERROR, S)
            .add(SeriesTable.STUDY_INSTANCE_UID, S)
            .add(SeriesTable.SERIES_INSTANCE_UID, S)
            .add(SeriesTable.PATIENT_ID, S)
            .add(Columns.SEX, S)
            .add(Columns.AGE, D)
            .add(SeriesTable.STUDY_DATE, S)
            .add(SeriesTable.MODALITY, S)
            .add(SeriesTable.SERIES_DESCRIPTION, S)
            .add(SeriesTable.IMAGE_TYPE, S)
            .add(SeriesTable.CONVOLUTION_KERNEL, S)
            .add(SeriesTable.KERNEL_CLASS, S)
            .add(SeriesTable.SLICE_THICKNESS, D)
            .add(SeriesTable.ROWS, I)
            .add(SeriesTable.COLUMNS, I)
            .add(SeriesTable.PIXEL_SPACING, D)
            .add(SeriesTable.ORIENTATION, S)
            .add(SeriesTable.CONTRAST_AGENT, S)
            .add(SeriesTable.CONTRAST_ROUTE, S)
            .add(SeriesTable.BODY_PART, S)
            .add(SeriesTable.MANUFACTURER, S)
            .add(SeriesTable.KVP, D)
            .add(SeriesTable.TRANSFER_SYNTAX_UID, S)
            .add(SeriesTable.SERIES_NUMBER, I)
            .add(IS_LOCALIZER, DataTypes.BooleanType, false)
            .add(POSITION, D);

    private CatalogTables() {
    }

    /** A {@link #FILES} row, built by column name (the rest of its values are set by the caller). */
    static RowBuilder fileRow(String file, String folder, long size, boolean dicom, String error) {
        return new RowBuilder(FILES).set(FILE, file).set(FOLDER, folder).set(SeriesTable.SIZE_BYTES, size)
                .set(DICOM, dicom).set(SeriesTable.ERROR, error);
    }
}
