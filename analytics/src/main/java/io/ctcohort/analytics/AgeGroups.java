package io.ctcohort.analytics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.when;

/**
 * The {@code age_groups} table (Spark SQL): per structure, metric, sex (F, M, all) and age group,
 * n, mean, sample SD and (exact) median of the metric. Two groupings: {@code quartile} (Q1..Q4 of
 * the ages of the exams that passed QC, cut at the 25/50/75 % percentiles with linear
 * interpolation, upper bounds inclusive) and {@code decade} (e.g. "40-49").
 * Columns: structure, metric, sex, grouping, age_group, age_min, age_max (observed), n, mean, sd, median.
 */
public final class AgeGroups {
    private AgeGroups() {
    }

    /** @param passed QC output (structure, exam_id, age, sex, volume_ml, hu_mean, ...) */
    public static Dataset<Row> compute(Dataset<Row> passed) {
        Dataset<Row> withAge = passed.filter(col("age").isNotNull().and(expr("NOT isnan(age)"))
                .and(col("sex").isin("F", "M")));
        Row cuts = withAge.select("exam_id", "age").distinct()
                .agg(expr("percentile(age, array(0.25, 0.5, 0.75))")).first();
        List<Double> q = cuts.isNullAt(0) ? List.of() : cuts.getList(0);
        Column quartile = q.isEmpty() ? lit(null).cast("string")
                : when(col("age").leq(q.get(0)), lit("Q1")).when(col("age").leq(q.get(1)), lit("Q2"))
                        .when(col("age").leq(q.get(2)), lit("Q3")).otherwise(lit("Q4"));
        Column decadeStart = floor(col("age").divide(10)).multiply(10).cast("int");
        Column decade = concat(decadeStart.cast("string"), lit("-"), decadeStart.plus(9).cast("string"));

        Dataset<Row> longForm = withAge.selectExpr("structure", "age", "sex",
                        "stack(2, 'volume_ml', volume_ml, 'hu_mean', hu_mean) as (metric, value)")
                .filter(col("value").isNotNull().and(expr("NOT isnan(value)")));
        Dataset<Row> grouped = longForm.withColumn("quartile", quartile).withColumn("decade", decade)
                .selectExpr("structure", "metric", "age", "value",
                        "stack(4, sex, 'quartile', quartile, 'all', 'quartile', quartile, "
                                + "sex, 'decade', decade, 'all', 'decade', decade) as (sex, grouping, age_group)")
                .filter(col("age_group").isNotNull());
        return grouped.groupBy("structure", "metric", "sex", "grouping", "age_group")
                .agg(min("age").as("age_min"), max("age").as("age_max"), count(lit(1)).as("n"),
                        avg("value").as("mean"), stddev_samp("value").as("sd"), median(col("value")).as("median"))
                .orderBy("structure", "metric", "sex", "grouping", "age_min", "age_group");
    }
}
