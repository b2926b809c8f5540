package io.ctcohort.analytics;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * Driver-side result rows as a DataFrame, split into slices of at most {@link #ROWS_PER_SLICE} rows:
 * a single local relation ships every row inside one task (Spark warns above 1 MB per task, and a
 * study of thousands of structures would make that task huge).
 */
final class LocalTables {
    static final int ROWS_PER_SLICE = 4000;

    private LocalTables() {
    }

    static Dataset<Row> frame(SparkSession spark, List<Row> rows, StructType schema) {
        int slices = Math.max(1, (rows.size() + ROWS_PER_SLICE - 1) / ROWS_PER_SLICE);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices),
                schema);
    }
}
