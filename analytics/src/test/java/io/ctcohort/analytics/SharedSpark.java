package io.ctcohort.analytics;

import io.ctcohort.core.layout.OutputLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A test class that extends this gets one local Spark session ({@link SparkTests#start}) for all its tests. */
abstract class SharedSpark {
    static SparkSession spark;

    @BeforeAll
    static void startSpark(TestInfo info) {
        spark = SparkTests.start(info.getTestClass().map(Class::getSimpleName).orElse("test"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** An output root and the one complete run in it that its LATEST names. */
    record GoldenRun(Path out, Path run) {
    }

    /**
     * The golden cohort (reference/regression) published as TMP/out/runs/ID, a complete run that
     * TMP/out/LATEST names; skips the test when the reference data is absent.
     */
    static GoldenRun goldenRun(Path tmp) throws IOException {
        assumeTrue(SparkTests.regressionPresent(), "reference data absent: " + SparkTests.regression().toAbsolutePath());
        Path out = tmp.resolve("out");
        String runId = "20261126T000000Z";
        Path run = out.resolve(OutputLayout.RUNS).resolve(runId);
        for (String table : List.of(OutputLayout.EXAMS, OutputLayout.MEASUREMENTS)) {
            spark.read().parquet(SparkTests.regression().resolve(table + OutputLayout.FLAT_SUFFIX).toString()).write()
                    .parquet(run.resolve(table).toString());
        }
        Files.writeString(run.resolve(OutputLayout.SUCCESS), "");
        Files.writeString(out.resolve(OutputLayout.LATEST), runId + "\n");
        return new GoldenRun(out, run);
    }
}
