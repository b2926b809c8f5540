package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.SPLINE_DF;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.Columns.VALUE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code reference_centiles} table: per structure, metric, sex, whole year of age (over the
 * group's observed range) and centile, the rearranged centile value. A group without a fit has one
 * row per centile with null age and value and the reason.
 */
public final class ReferenceCentilesTable {
    public static final String NAME = "reference_centiles";

    public static final String CENTILE = "centile";
    public static final String METHOD = "method";

    public static final StructType SCHEMA = new StructType()
            .add(STRUCTURE, DataTypes.StringType, false)
            .add(METRIC, DataTypes.StringType, false)
            .add(SEX, DataTypes.StringType, false)
            .add(AGE, DataTypes.IntegerType)
            .add(CENTILE, DataTypes.DoubleType, false)
            .add(VALUE, DataTypes.DoubleType)
            .add(N, DataTypes.LongType, false)
            .add(SPLINE_DF, DataTypes.IntegerType, false)
            .add(METHOD, DataTypes.StringType, false)
            .add(REASON, DataTypes.StringType);

    private ReferenceCentilesTable() {
    }
}
