package io.ctcohort.analytics;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Local Spark for tests: loopback driver, no UI, few shuffle partitions. One session per test class. */
final class SparkTests {
    private SparkTests() {
    }

    static SparkSession start(String appName) {
        return SparkSession.builder().appName(appName).master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .getOrCreate();
    }

    /** ../shared/reference (system property set by surefire; fallback relative to the module dir). */
    static Path reference() {
        return Paths.get(System.getProperty("ctcohort.reference", "../../shared/reference"));
    }

    static Path regression() {
        return reference().resolve("regression");
    }

    static boolean regressionPresent() {
        Path r = regression();
        return Files.isRegularFile(r.resolve("exams.parquet")) && Files.isRegularFile(r.resolve("measurements.parquet"))
                && Files.isRegularFile(r.resolve("expected_age_effects.csv"));
    }
}
