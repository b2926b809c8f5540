package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.SPLINE_DF;
import static io.ctcohort.core.tables.Columns.STRATUM;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** The {@code age_spline} table: per structure, metric and stratum, the spline-in-age OLS against the linear one (F test). */
public final class AgeSplineTable {
    public static final String NAME = "age_spline";

    public static final String RSS_LINEAR = "rss_linear", RSS_SPLINE = "rss_spline";
    // The F test of the spline against the line.
    public static final String F_STAT = "f_stat", DF_NUM = "df_num", DF_DEN = "df_den", P_NONLINEAR = "p_nonlinear";
    public static final String R2_LINEAR = "r2_linear", R2_SPLINE = "r2_spline";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, STRUCTURE, METRIC, STRATUM).required(LongType, N).required(IntegerType, SPLINE_DF)
            .optional(DoubleType, RSS_LINEAR, RSS_SPLINE, F_STAT).required(IntegerType, DF_NUM, DF_DEN)
            .optional(DoubleType, P_NONLINEAR, R2_LINEAR, R2_SPLINE).optional(StringType, REASON).struct();

    private AgeSplineTable() {
    }
}
