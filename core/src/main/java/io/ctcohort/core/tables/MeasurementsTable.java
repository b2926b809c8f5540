package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STRUCTURE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code measurements} table: one row per exam x structure x model (README lists the units). */
public final class MeasurementsTable {
    public static final String NAME = "measurements";

    public static final String LABEL = "label";
    public static final String VOXEL_COUNT = "voxel_count";
    public static final String VOLUME_ML = "volume_ml";
    public static final String HU_MEAN = "hu_mean";
    public static final String HU_STD = "hu_std";
    public static final String HU_MEDIAN = "hu_median";
    public static final String HU_P05 = "hu_p05";
    public static final String HU_P95 = "hu_p95";
    public static final String TOUCHES_BORDER = "touches_border";

    public static final StructType SCHEMA = new StructType()
            .add(EXAM_ID, DataTypes.StringType, false)
            .add(STRUCTURE, DataTypes.StringType, false)
            .add(LABEL, DataTypes.LongType, false)
            .add(VOXEL_COUNT, DataTypes.LongType, false)
            .add(VOLUME_ML, DataTypes.DoubleType, false)
            .add(HU_MEAN, DataTypes.DoubleType)
            .add(HU_STD, DataTypes.DoubleType)
            .add(HU_MEDIAN, DataTypes.DoubleType)
            .add(HU_P05, DataTypes.DoubleType)
            .add(HU_P95, DataTypes.DoubleType)
            .add(TOUCHES_BORDER, DataTypes.BooleanType, false)
            .add(MODEL_ID, DataTypes.StringType, false);

    private MeasurementsTable() {
    }
}
