package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.SPLINE_DF;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.Columns.VALUE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/**
 * The {@code reference_centiles} table: per structure, metric, sex, whole year of age (over the
 * group's observed range) and centile, the rearranged centile value. A group without a fit has one
 * row per centile with null age and value and the reason.
 */
public final class ReferenceCentilesTable {
    public static final String NAME = "reference_centiles";

    public static final String CENTILE = "centile", METHOD = "method";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, STRUCTURE, METRIC, SEX).optional(IntegerType, AGE)
            .required(DoubleType, CENTILE).optional(DoubleType, VALUE).required(LongType, N)
            .required(IntegerType, SPLINE_DF).required(StringType, METHOD).optional(StringType, REASON).struct();

    private ReferenceCentilesTable() {
    }
}
