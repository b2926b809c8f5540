package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.MultipleTesting;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.RowBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code age_effects} table. The per-structure fits run on the executors ({@link AgeStudy},
 * {@link StructureAnalyzer}); the multiple-testing corrections, which need every p-value of a
 * stratum, run here on the driver over the collected rows (2 metrics x 3 strata per structure: small).
 */
public final class AgeEffects {
    private AgeEffects() {
    }

    /** Bonferroni and BH of p_age over the (structure, metric) pairs of each stratum. */
    public static List<AgeEffect> correct(List<AgeEffect> effects) {
        List<AgeEffect> out = new ArrayList<>(effects);
        for (Stratum stratum : Stratum.values()) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).stratum().equals(stratum.label())) {
                    idx.add(i);
                }
            }
            double[] p = idx.stream().mapToDouble(i -> out.get(i).pAge()).toArray();
            double[] bonferroni = MultipleTesting.bonferroni(p);
            double[] bh = MultipleTesting.benjaminiHochberg(p);
            for (int j = 0; j < idx.size(); j++) {
                int i = idx.get(j);
                out.set(i, out.get(i).withCorrections(bonferroni[j], bh[j]));
            }
        }
        return out;
    }

    public static Dataset<Row> toDataFrame(SparkSession spark, List<AgeEffect> effects) {
        return LocalTables.frame(spark, rows(effects), AgeEffectsTable.SCHEMA);
    }

    /** The rows of the table, each value set by its column's name. */
    public static List<Row> rows(List<AgeEffect> effects) {
        List<Row> rows = new ArrayList<>(effects.size());
        for (AgeEffect e : effects) {
            rows.add(new RowBuilder(AgeEffectsTable.SCHEMA)
                    .set(Columns.STRUCTURE, e.structure()).set(Columns.METRIC, e.metric())
                    .set(Columns.STRATUM, e.stratum()).set(Columns.N, e.n())
                    .set(AgeEffectsTable.SPEARMAN_RHO, e.spearmanRho()).set(AgeEffectsTable.SPEARMAN_P, e.spearmanP())
                    .set(AgeEffectsTable.BETA_AGE, e.betaAge()).set(AgeEffectsTable.SE_AGE, e.seAge())
                    .set(AgeEffectsTable.T_AGE, e.tAge()).set(AgeEffectsTable.P_AGE, e.pAge())
                    .set(AgeEffectsTable.CI_LOW, e.ciLow()).set(AgeEffectsTable.CI_HIGH, e.ciHigh())
                    .set(AgeEffectsTable.R2, e.r2()).set(AgeEffectsTable.INTERCEPT, e.intercept())
                    .set(AgeEffectsTable.P_AGE_BONFERRONI, e.pAgeBonferroni()).set(AgeEffectsTable.Q_AGE_BH, e.qAgeBh())
                    .set(Columns.REASON, e.reason())
                    .set(AgeEffectsTable.PHASE, e.phase()).set(AgeEffectsTable.PHASE_ADJUSTMENT, e.phaseAdjustment())
                    .set(AgeEffectsTable.BETA_AGE_UNADJUSTED, e.betaAgeUnadjusted())
                    .set(AgeEffectsTable.SE_AGE_UNADJUSTED, e.seAgeUnadjusted())
                    .set(AgeEffectsTable.CI_LOW_UNADJUSTED, e.ciLowUnadjusted())
                    .set(AgeEffectsTable.CI_HIGH_UNADJUSTED, e.ciHighUnadjusted())
                    .set(AgeEffectsTable.P_AGE_UNADJUSTED, e.pAgeUnadjusted())
                    .row());
        }
        return rows;
    }
}
