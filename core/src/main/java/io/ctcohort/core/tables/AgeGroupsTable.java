package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** The {@code age_groups} table: per structure, metric, sex and age group (quartile or decade). */
public final class AgeGroupsTable {
    public static final String NAME = "age_groups";

    // The group: how ages were grouped, the group's label and its observed age range.
    public static final String GROUPING = "grouping", AGE_GROUP = "age_group", AGE_MIN = "age_min", AGE_MAX = "age_max";
    public static final String MEAN = "mean", SD = "sd", MEDIAN = "median";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, STRUCTURE, METRIC, SEX, GROUPING, AGE_GROUP)
            .optional(DoubleType, AGE_MIN, AGE_MAX).required(LongType, N)
            .optional(DoubleType, MEAN, SD, MEDIAN).struct();

    private AgeGroupsTable() {
    }
}
