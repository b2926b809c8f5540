package io.ctcohort.analytics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The golden data: every value of expected_age_effects.csv (statsmodels, scipy) reproduced. */
class RegressionReferenceTest extends SharedSpark {
    @Test
    void reproducesStatsmodelsAndScipy() throws Exception {
        assumeTrue(SparkTests.regressionPresent(), "reference data absent: " + SparkTests.regression().toAbsolutePath());
        Path dir = SparkTests.regression();
        Dataset<Row> exams = spark.read().parquet(dir.resolve("exams.parquet").toString());
        Dataset<Row> measurements = spark.read().parquet(dir.resolve("measurements.parquet").toString());
        long t0 = System.nanoTime();
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, StudyOptions.defaults());
        System.out.printf("regression reference: %d effects in %d ms (%s), QC %s%n", result.effects().size(),
                (System.nanoTime() - t0) / 1_000_000, result.millis(), result.qc().removed());
        Map<String, Map<String, String>> expected = ExpectedCsv.read(dir.resolve("expected_age_effects.csv"));
        double worst = ExpectedCsv.assertMatches(expected, result.effects());
        System.out.println("worst relative error vs statsmodels/scipy: " + worst);
        assertEquals(expected.size(), result.effects().size(), "one row per structure x metric x stratum");
        result.release();
    }
}
