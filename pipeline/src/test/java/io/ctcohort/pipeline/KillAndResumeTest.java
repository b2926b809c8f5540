package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ctcohort.pipeline.exam.ExamRunner;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: a {@code segment} process is killed (SIGKILL) after it finished some
 * exams; the previous run stays LATEST and readable; the re-run finds the killed job's lock, waits
 * until it has been silent for --lock-stale-seconds, takes it over, resumes the killed run's
 * staging, processes only what is left, and ends with exactly one row per (exam, structure,
 * model); a second re-run processes nothing.
 */
class KillAndResumeTest {
    @TempDir
    Path tmp;

    @Test
    void killedRunIsResumedWithoutLosingOrDuplicatingRows() throws Exception {

        List<TestCohort.Exam> exams = TestCohort.write(tmp.resolve("data"), 8, 100);
        Path first = TestCohort.manifest(tmp.resolve("first.csv"), exams.subList(0, 3), List.of());
        Path all = TestCohort.manifest(tmp.resolve("all.csv"), exams, List.of());
        Path out = tmp.resolve("out");
        SegmentAnalyzer analyzer = TestModels.analyzer();

        RunSummary run1 = new CohortJob(TestSpark.get(), analyzer,
                CohortJob.Options.of(first.toString(), out.toString(), true), System.err).run();
        assertEquals(3, run1.ok());

        // The nightly run over all 8 exams, in its own JVM, slowed down so it can be killed midway.
        Path log = tmp.resolve("child.log");
        Process child = ChildJvm.start(tmp, List.of("-Xmx3g", "-D" + ExamRunner.DELAY_PROPERTY + "=1500"),
                "io.ctcohort.cli.CtCohortCli", List.of("segment", "--manifest", all.toString(), "--out", out.toString(),
                        "--master", "local[1]", "--incremental", "--device", "cpu", "--model", TestModels.dir().toString(),
                        "--lock-stale-seconds", "3"), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (TestStaging.okResults(out) < 2) {
                String failure = firstFailure(out);
                if (failure != null) {
                    fail("child staged a failed exam: " + failure + "\n" + ChildJvm.tail(log));
                }
                if (!child.isAlive()) {
                    fail("child ended before it could be killed (exit " + child.exitValue() + "):\n" + ChildJvm.tail(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("child staged nothing in time:\n" + ChildJvm.tail(log));
                }
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long staged = TestStaging.okResults(out);
        assertTrue(staged >= 2 && staged < 5, "killed midway: " + staged + " of 5 staged");
        assertEquals(run1.runId(), Files.readString(out.resolve("LATEST")).strip(), "LATEST still the previous run");
        assertEquals(3, TestSpark.get().read().parquet(out.resolve("runs").resolve(run1.runId()).resolve("exams")
                .toString()).count(), "previous run readable");

        try (Stream<Path> locks = Files.list(out.resolve("_lock"))) {
            assertTrue(locks.anyMatch(f -> f.getFileName().toString().matches("\\d{12}")),
                    "the killed job's lock is left behind");
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        RunSummary resumed = new CohortJob(TestSpark.get(), analyzer, new CohortJob.Options(all.toString(),
                out.toString(), true, 0, true, 3, true, 3), new PrintStream(said, true, StandardCharsets.UTF_8))
                .run();
        String text = said.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("took over the lock of ") && text.contains("from a job silent for"), text);
        assertEquals(3, resumed.carried());
        assertEquals(staged, resumed.reused(), "finished exams taken from the killed run's staging");
        assertEquals(5 - staged, resumed.processed());
        assertEquals(8, resumed.ok());
        String dir = out.resolve("runs").resolve(resumed.runId()).toString();
        Dataset<Row> examsTable = TestSpark.get().read().parquet(dir + "/exams");
        Dataset<Row> m = TestSpark.get().read().parquet(dir + "/measurements");
        assertEquals(8, examsTable.count());
        assertEquals(8, examsTable.select("exam_id", "model_id").distinct().count());
        long structures = analyzer.structureCount();
        assertEquals(8 * structures, m.count(), "none missing");
        assertEquals(8 * structures, m.select("exam_id", "structure", "model_id").distinct().count(), "none duplicated");
        ReliabilityFigures.record(getClass(), "local: segment SIGKILLed mid-run, resumed", 1, 0,
                ReliabilityFigures.audit(TestSpark.get(), dir, 8, structures));

        RunSummary again = new CohortJob(TestSpark.get(), analyzer,
                CohortJob.Options.of(all.toString(), out.toString(), true), System.err).run();
        assertEquals(0, again.processed());
        assertEquals(0, again.reused());
        assertEquals(8, again.carried());
        assertEquals(8 * structures, again.measurementRows());
    }

    private static String firstFailure(Path out) throws IOException {
        Path staging = out.resolve("staging");
        if (!Files.isDirectory(staging)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(staging)) {
            // A staged file holds the results of a batch of exams, ok or failed.
            return s.filter(p -> p.getFileName().toString().endsWith(".json")
                            && !p.getFileName().toString().startsWith("_"))
                    .map(TestStaging::readOrEmpty).filter(text -> text.contains("\"status\":\"failed\""))
                    .findFirst().orElse(null);
        }
    }
}
