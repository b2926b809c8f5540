package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STRUCTURE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code age_groups} table: per structure, metric, sex and age group (quartile or decade). */
public final class AgeGroupsTable {
    public static final String NAME = "age_groups";

    public static final String GROUPING = "grouping";
    public static final String AGE_GROUP = "age_group";
    public static final String AGE_MIN = "age_min";
    public static final String AGE_MAX = "age_max";
    public static final String MEAN = "mean";
    public static final String SD = "sd";
    public static final String MEDIAN = "median";

    public static final StructType SCHEMA = new StructType()
            .add(STRUCTURE, DataTypes.StringType, false)
            .add(METRIC, DataTypes.StringType, false)
            .add(SEX, DataTypes.StringType, false)
            .add(GROUPING, DataTypes.StringType, false)
            .add(AGE_GROUP, DataTypes.StringType, false)
            .add(AGE_MIN, DataTypes.DoubleType)
            .add(AGE_MAX, DataTypes.DoubleType)
            .add(N, DataTypes.LongType, false)
            .add(MEAN, DataTypes.DoubleType)
            .add(SD, DataTypes.DoubleType)
            .add(MEDIAN, DataTypes.DoubleType);

    private AgeGroupsTable() {
    }
}
