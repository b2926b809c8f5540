package io.ctcohort.analytics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * The {@code age_groups} table: per structure, metric, sex (F, M, all) and age group, n, mean, sample
 * SD and median of the metric. Two groupings: {@code quartile} (Q1..Q4 of the ages of the exams that
 * passed QC, cut at their 25/50/75 % percentiles, linear interpolation, upper bounds inclusive) and
 * {@code decade} ("40-49"). The cuts come from one Spark SQL aggregation; the per-structure
 * summaries are computed in the same per-structure pass as the age effects (one shuffle, not one
 * exact-percentile aggregation per statistic, which took a minute at 4004 x 117).
 */
public final class AgeGroups {
    public static final StructType SCHEMA = new StructType()
            .add("structure", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("sex", DataTypes.StringType, false)
            .add("grouping", DataTypes.StringType, false)
            .add("age_group", DataTypes.StringType, false)
            .add("age_min", DataTypes.DoubleType)
            .add("age_max", DataTypes.DoubleType)
            .add("n", DataTypes.LongType, false)
            .add("mean", DataTypes.DoubleType)
            .add("sd", DataTypes.DoubleType)
            .add("median", DataTypes.DoubleType);

    private AgeGroups() {
    }

    /** Quartile cuts (25, 50, 75 %) of the ages of the distinct exams in the QC output; empty if none has an age. */
    public static double[] quartileCuts(Dataset<Row> passed) {
        Row r = passed.filter(col("age").isNotNull().and(expr("NOT isnan(age)")).and(col("sex").isin("F", "M")))
                .select("exam_id", "age").distinct()
                .agg(expr("percentile(age, array(0.25, 0.5, 0.75))")).first();
        if (r.isNullAt(0)) {
            return new double[0];
        }
        List<Double> q = r.getList(0);
        return q.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String quartile(double age, double[] cuts) {
        for (int i = 0; i < cuts.length; i++) {
            if (age <= cuts[i]) {
                return "Q" + (i + 1);
            }
        }
        return "Q4";
    }

    static String decade(double age) {
        int start = (int) Math.floor(age / 10.0) * 10;
        return start + "-" + (start + 9);
    }

    /** The rows of one structure, in the order metric, sex, grouping, age. */
    public static List<AgeGroupRow> forStructure(String structure, List<Subject> subjects, double[] cuts) {
        List<AgeGroupRow> out = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            for (Stratum sex : List.of(Stratum.F, Stratum.M, Stratum.ALL)) {
                for (String grouping : List.of("quartile", "decade")) {
                    if (grouping.equals("quartile") && cuts.length != 3) {
                        continue;
                    }
                    // group label -> (age, value) pairs, ordered by the group's youngest age
                    Map<String, List<double[]>> groups = new TreeMap<>();
                    for (Subject s : subjects) {
                        double v = s.metric(metric);
                        if (sex.includes(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(v)) {
                            String g = grouping.equals("quartile") ? quartile(s.age(), cuts) : decade(s.age());
                            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(new double[] {s.age(), v});
                        }
                    }
                    List<AgeGroupRow> rows = new ArrayList<>();
                    groups.forEach((g, pairs) -> rows.add(summarize(structure, metric, sex.label(), grouping, g, pairs)));
                    rows.sort((a, b) -> Double.compare(a.ageMin(), b.ageMin()));
                    out.addAll(rows);
                }
            }
        }
        return out;
    }

    private static AgeGroupRow summarize(String structure, Metric metric, String sex, String grouping, String group,
                                         List<double[]> pairs) {
        int n = pairs.size();
        double[] v = new double[n];
        double ageMin = Double.POSITIVE_INFINITY;
        double ageMax = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] p = pairs.get(i);
            v[i] = p[1];
            sum += p[1];
            ageMin = Math.min(ageMin, p[0]);
            ageMax = Math.max(ageMax, p[0]);
        }
        double mean = sum / n;
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        Arrays.sort(v);
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
        return new AgeGroupRow(structure, metric.column(), sex, grouping, group, ageMin, ageMax, n, mean,
                n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, median);
    }

    public static Dataset<Row> toDataFrame(SparkSession spark, List<AgeGroupRow> groups) {
        List<Row> rows = new ArrayList<>(groups.size());
        for (AgeGroupRow g : groups) {
            rows.add(RowFactory.create(g.structure(), g.metric(), g.sex(), g.grouping(), g.ageGroup(), g.ageMin(),
                    g.ageMax(), g.n(), g.mean(), g.sd(), g.median()));
        }
        return LocalTables.frame(spark, rows, SCHEMA);
    }
}
