package io.ctcohort.pipeline;

import org.apache.spark.sql.SparkSession;

/** One local SparkSession for every test class of the surefire JVM (starting Spark costs seconds). */
public final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("ctcohort-pipeline-tests")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.ui.showConsoleProgress", "false")
                    .getOrCreate();
        }
        return spark;
    }
}
