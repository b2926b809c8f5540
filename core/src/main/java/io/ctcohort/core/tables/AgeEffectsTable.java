package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.N;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.STRATUM;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** The {@code age_effects} table: one row per structure, metric and stratum (README lists the meanings). */
public final class AgeEffectsTable {
    public static final String NAME = "age_effects";

    public static final String SPEARMAN_RHO = "spearman_rho", SPEARMAN_P = "spearman_p";
    // The OLS fit of the metric on age.
    public static final String BETA_AGE = "beta_age", SE_AGE = "se_age", T_AGE = "t_age", P_AGE = "p_age";
    public static final String CI_LOW = "ci_low", CI_HIGH = "ci_high", R2 = "r2", INTERCEPT = "intercept";
    // p_age corrected for the many tests.
    public static final String P_AGE_BONFERRONI = "p_age_bonferroni", Q_AGE_BH = "q_age_bh";
    // Contrast phase: the phase a row is fitted in ("all", or one phase with --phase stratify), how the
    // fit treats phase (none | ignored | adjusted | stratified), and for adjusted rows the same fit
    // without the phase terms over the same exams.
    public static final String PHASE = "phase", PHASE_ADJUSTMENT = "phase_adjustment";
    public static final String BETA_AGE_UNADJUSTED = "beta_age_unadjusted", SE_AGE_UNADJUSTED = "se_age_unadjusted";
    public static final String CI_LOW_UNADJUSTED = "ci_low_unadjusted", CI_HIGH_UNADJUSTED = "ci_high_unadjusted";
    public static final String P_AGE_UNADJUSTED = "p_age_unadjusted";
    // beta_age corrected for the model's bias by the validation exams (docs/DESIGN.md "Validation and
    // calibration"): beta_age / calibration_slope and its interval; null with calibration_reason otherwise.
    public static final String BETA_AGE_CALIBRATED = "beta_age_calibrated", CI_LOW_CALIBRATED = "ci_low_calibrated";
    public static final String CI_HIGH_CALIBRATED = "ci_high_calibrated", CALIBRATION_SLOPE = "calibration_slope";
    public static final String N_VALIDATION = "n_validation", CALIBRATION_REASON = "calibration_reason";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, STRUCTURE, METRIC, STRATUM).required(LongType, N)
            .optional(DoubleType, SPEARMAN_RHO, SPEARMAN_P, BETA_AGE, SE_AGE, T_AGE, P_AGE, CI_LOW, CI_HIGH, R2,
                    INTERCEPT, P_AGE_BONFERRONI, Q_AGE_BH)
            .optional(StringType, REASON).required(StringType, PHASE, PHASE_ADJUSTMENT)
            .optional(DoubleType, BETA_AGE_UNADJUSTED, SE_AGE_UNADJUSTED, CI_LOW_UNADJUSTED, CI_HIGH_UNADJUSTED,
                    P_AGE_UNADJUSTED)
            .optional(DoubleType, BETA_AGE_CALIBRATED, CI_LOW_CALIBRATED, CI_HIGH_CALIBRATED, CALIBRATION_SLOPE)
            .optional(LongType, N_VALIDATION).optional(StringType, CALIBRATION_REASON).struct();

    private AgeEffectsTable() {
    }
}
