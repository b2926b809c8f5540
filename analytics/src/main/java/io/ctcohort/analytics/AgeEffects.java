package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.MultipleTesting;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.RowBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

import static io.ctcohort.core.tables.AgeEffectsTable.*;

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
        return LocalTables.frame(spark, rows(effects), SCHEMA);
    }

    /** The rows of the table, each value set by its column's name. */
    public static List<Row> rows(List<AgeEffect> effects) {
        List<Row> rows = new ArrayList<>(effects.size());
        for (AgeEffect e : effects) {
            rows.add(new RowBuilder(SCHEMA)
                    .set(Columns.STRUCTURE, e.structure()).set(Columns.METRIC, e.metric())
                    .set(Columns.STRATUM, e.stratum()).set(Columns.N, e.n())
                    .set(SPEARMAN_RHO, e.spearmanRho()).set(SPEARMAN_P, e.spearmanP())
                    .set(BETA_AGE, e.betaAge()).set(SE_AGE, e.seAge()).set(T_AGE, e.tAge()).set(P_AGE, e.pAge())
                    .set(CI_LOW, e.ciLow()).set(CI_HIGH, e.ciHigh())
                    .set(R2, e.r2()).set(INTERCEPT, e.intercept())
                    .set(P_AGE_BONFERRONI, e.pAgeBonferroni()).set(Q_AGE_BH, e.qAgeBh())
                    .set(Columns.REASON, e.reason())
                    .set(PHASE, e.phase()).set(PHASE_ADJUSTMENT, e.phaseAdjustment())
                    .set(BETA_AGE_UNADJUSTED, e.betaAgeUnadjusted()).set(SE_AGE_UNADJUSTED, e.seAgeUnadjusted())
                    .set(CI_LOW_UNADJUSTED, e.ciLowUnadjusted()).set(CI_HIGH_UNADJUSTED, e.ciHighUnadjusted())
                    .set(P_AGE_UNADJUSTED, e.pAgeUnadjusted())
                    .row());
        }
        return rows;
    }
}
