package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** The {@code measurements} table: one row per exam x structure x model (README lists the units). */
public final class MeasurementsTable {
    public static final String NAME = "measurements";

    public static final String LABEL = "label", VOXEL_COUNT = "voxel_count", VOLUME_ML = "volume_ml";
    // HU statistics over the structure's voxels.
    public static final String HU_MEAN = "hu_mean", HU_STD = "hu_std", HU_MEDIAN = "hu_median";
    public static final String HU_P05 = "hu_p05", HU_P95 = "hu_p95";
    public static final String TOUCHES_BORDER = "touches_border";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, EXAM_ID, STRUCTURE).required(LongType, LABEL, VOXEL_COUNT)
            .required(DoubleType, VOLUME_ML).optional(DoubleType, HU_MEAN, HU_STD, HU_MEDIAN, HU_P05, HU_P95)
            .required(BooleanType, TOUCHES_BORDER).required(StringType, MODEL_ID).struct();

    private MeasurementsTable() {
    }
}
