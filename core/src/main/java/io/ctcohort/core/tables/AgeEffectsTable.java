package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.STRATUM;
import static io.ctcohort.core.tables.Columns.STRUCTURE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code age_effects} table: one row per structure, metric and stratum (README lists the meanings). */
public final class AgeEffectsTable {
    public static final String NAME = "age_effects";

    public static final String SPEARMAN_RHO = "spearman_rho";
    public static final String SPEARMAN_P = "spearman_p";
    public static final String BETA_AGE = "beta_age";
    public static final String SE_AGE = "se_age";
    public static final String T_AGE = "t_age";
    public static final String P_AGE = "p_age";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String R2 = "r2";
    public static final String INTERCEPT = "intercept";
    public static final String P_AGE_BONFERRONI = "p_age_bonferroni";
    public static final String Q_AGE_BH = "q_age_bh";

    public static final StructType SCHEMA = new StructType()
            .add(STRUCTURE, DataTypes.StringType, false)
            .add(METRIC, DataTypes.StringType, false)
            .add(STRATUM, DataTypes.StringType, false)
            .add(N, DataTypes.LongType, false)
            .add(SPEARMAN_RHO, DataTypes.DoubleType)
            .add(SPEARMAN_P, DataTypes.DoubleType)
            .add(BETA_AGE, DataTypes.DoubleType)
            .add(SE_AGE, DataTypes.DoubleType)
            .add(T_AGE, DataTypes.DoubleType)
            .add(P_AGE, DataTypes.DoubleType)
            .add(CI_LOW, DataTypes.DoubleType)
            .add(CI_HIGH, DataTypes.DoubleType)
            .add(R2, DataTypes.DoubleType)
            .add(INTERCEPT, DataTypes.DoubleType)
            .add(P_AGE_BONFERRONI, DataTypes.DoubleType)
            .add(Q_AGE_BH, DataTypes.DoubleType)
            .add(REASON, DataTypes.StringType);

    private AgeEffectsTable() {
    }
}
