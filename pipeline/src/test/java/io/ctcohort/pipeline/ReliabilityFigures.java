package io.ctcohort.pipeline;

import io.ctcohort.pipeline.bench.RunKeyCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;

/**
 * The fault-injection suite's figures: each test writes one line (and prints it) with the kills it
 * survived, the faults it injected, and the rows its final run lost and duplicated, counted from
 * the tables themselves, into target/reliability/TESTCLASS.txt (rewritten by each build's run of
 * that class); bin/reliability adds them up.
 */
public final class ReliabilityFigures {
    static final Path DIR = Paths.get("target", "reliability");
    private static final Set<Class<?>> STARTED = ConcurrentHashMap.newKeySet();

    /** Rows missing from and rows beyond "every exam once, every (exam, structure) once" in one run. */
    public record Audit(long rowsLost, long rowsDuplicated) {
    }

    private ReliabilityFigures() {
    }

    /**
     * Audits a run folder (local path or s3a:// URI) against {@code exams} exam ids with
     * {@code structures} measurement rows each (one model).
     */
    public static Audit audit(SparkSession spark, String runDir, long exams, long structures) {
        RunKeyCounts k = RunKeyCounts.of(spark, runDir);
        long lost = Math.max(0, exams - k.examKeys()) + Math.max(0, exams * structures - k.measurementKeys());
        return new Audit(lost, k.duplicated());
    }

    /** Prints this test's line and adds it to its class's file (emptied at the class's first line in this JVM). */
    public static void record(Class<?> testClass, String test, int killsSurvived, int faultsInjected, Audit audit) {
        String line = String.format(Locale.ROOT,
                "%s: kills survived %d, faults injected %d, rows lost %d, rows duplicated %d%n", test, killsSurvived,
                faultsInjected, audit.rowsLost(), audit.rowsDuplicated());
        System.out.print("reliability: " + line);
        try {
            Path file = Files.createDirectories(DIR).resolve(testClass.getSimpleName() + ".txt");
            if (STARTED.add(testClass)) {
                Files.deleteIfExists(file);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
