package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.SPLINE_DF;
import static io.ctcohort.core.tables.Columns.STRATUM;
import static io.ctcohort.core.tables.Columns.STRUCTURE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code age_spline} table: per structure, metric and stratum, the spline-in-age OLS against the linear one (F test). */
public final class AgeSplineTable {
    public static final String NAME = "age_spline";

    public static final String RSS_LINEAR = "rss_linear";
    public static final String RSS_SPLINE = "rss_spline";
    public static final String F_STAT = "f_stat";
    public static final String DF_NUM = "df_num";
    public static final String DF_DEN = "df_den";
    public static final String P_NONLINEAR = "p_nonlinear";
    public static final String R2_LINEAR = "r2_linear";
    public static final String R2_SPLINE = "r2_spline";

    public static final StructType SCHEMA = new StructType()
            .add(STRUCTURE, DataTypes.StringType, false)
            .add(METRIC, DataTypes.StringType, false)
            .add(STRATUM, DataTypes.StringType, false)
            .add(N, DataTypes.LongType, false)
            .add(SPLINE_DF, DataTypes.IntegerType, false)
            .add(RSS_LINEAR, DataTypes.DoubleType)
            .add(RSS_SPLINE, DataTypes.DoubleType)
            .add(F_STAT, DataTypes.DoubleType)
            .add(DF_NUM, DataTypes.IntegerType, false)
            .add(DF_DEN, DataTypes.IntegerType, false)
            .add(P_NONLINEAR, DataTypes.DoubleType)
            .add(R2_LINEAR, DataTypes.DoubleType)
            .add(R2_SPLINE, DataTypes.DoubleType)
            .add(REASON, DataTypes.StringType);

    private AgeSplineTable() {
    }
}
