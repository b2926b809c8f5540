package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.MultipleTesting;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code age_effects} table. The per-structure fits run on the executors ({@link AgeStudy},
 * {@link StructureAnalyzer}); the multiple-testing corrections, which need every p-value of a
 * stratum, run here on the driver over the collected rows (2 metrics x 3 strata per structure: small).
 */
public final class AgeEffects {
    /** Columns of age_effects: docs/DESIGN.md's list plus reason. */
    public static final StructType SCHEMA = new StructType()
            .add("structure", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("stratum", DataTypes.StringType, false)
            .add("n", DataTypes.LongType, false)
            .add("spearman_rho", DataTypes.DoubleType)
            .add("spearman_p", DataTypes.DoubleType)
            .add("beta_age", DataTypes.DoubleType)
            .add("se_age", DataTypes.DoubleType)
            .add("t_age", DataTypes.DoubleType)
            .add("p_age", DataTypes.DoubleType)
            .add("ci_low", DataTypes.DoubleType)
            .add("ci_high", DataTypes.DoubleType)
            .add("r2", DataTypes.DoubleType)
            .add("intercept", DataTypes.DoubleType)
            .add("p_age_bonferroni", DataTypes.DoubleType)
            .add("q_age_bh", DataTypes.DoubleType)
            .add("reason", DataTypes.StringType);

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

    /** The rows of the table, in {@link #SCHEMA}'s column order. */
    public static List<Row> rows(List<AgeEffect> effects) {
        List<Row> rows = new ArrayList<>(effects.size());
        for (AgeEffect e : effects) {
            rows.add(RowFactory.create(e.structure(), e.metric(), e.stratum(), e.n(), e.spearmanRho(), e.spearmanP(),
                    e.betaAge(), e.seAge(), e.tAge(), e.pAge(), e.ciLow(), e.ciHigh(), e.r2(), e.intercept(),
                    e.pAgeBonferroni(), e.qAgeBh(), e.reason()));
        }
        return rows;
    }

    static List<Subject> subjects(Iterator<Row> rows, int nCov) {
        List<Subject> out = new ArrayList<>();
        while (rows.hasNext()) {
            out.add(subject(rows.next(), nCov));
        }
        return out;
    }

    /** Row layout of QualityControl's output; null numbers become NaN. */
    static Subject subject(Row r, int nCov) {
        double[] cov = new double[nCov];
        for (int c = 0; c < nCov; c++) {
            cov[c] = num(r, 6 + c);
        }
        return new Subject(num(r, 2), r.isNullAt(3) ? null : r.getString(3), num(r, 4), num(r, 5), cov);
    }

    private static double num(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }
}
