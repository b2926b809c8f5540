package io.ctcohort.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.pipeline.ChildJvm;
import io.ctcohort.pipeline.ReliabilityFigures;
import io.ctcohort.pipeline.TestCohort;
import io.ctcohort.pipeline.TestModels;
import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.TestStaging;
import io.ctcohort.pipeline.exam.ExamRunner;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors lost and duplicated on a real standalone cluster ({@link TestCluster}): a Worker and
 * its executor JVM are SIGKILLed while exams run, and with {@code spark.speculation} a straggler's
 * speculative copy runs beside it; either way every exam is in {@code exams} once and every
 * (exam, structure) in {@code measurements} once, because results are published per exam to
 * staging under their key, never appended.
 */
class ClusterFaultsIT {
    private static final int EXAMS = 6;

    @TempDir
    Path tmp;

    @Test
    void lostWorkerMidJobLosesAndDuplicatesNoRow() throws Exception {
        assumeTrue(TestCluster.available(), "run through `mvn verify`: needs " + TestCluster.appJar());
        Path manifest = TestCohort.manifest(tmp.resolve("manifest.csv"),
                TestCohort.write(tmp.resolve("data"), EXAMS, 500), List.of());
        Path out = tmp.resolve("out");
        try (TestCluster cluster = TestCluster.startMaster(tmp)) {
            cluster.startWorker(1, "127.0.0.1", List.of());
            Process doomed = cluster.startWorker(2, "127.0.0.1", List.of());
            Path log = tmp.resolve("submit.log");
            // Each exam takes at least 3 s, so both executors are busy when one is lost.
            Process submit = cluster.submit(manifest, out, "cpu", log, "spark.executor.memory=1g",
                    TestCluster.executorJavaOptions("-D" + ExamRunner.DELAY_PROPERTY + "=3000"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (TestStaging.okResults(out) < 1 || doomed.descendants().findAny().isEmpty()) {
                if (!submit.isAlive() || System.nanoTime() > deadline) {
                    fail("no exam finished while both workers ran:\n" + ChildJvm.tail(log));
                }
                Thread.sleep(100);
            }
            long stagedAtKill = TestStaging.okResults(out);
            int killed = TestCluster.kill(doomed);
            assertTrue(killed >= 2, "the worker and its executor JVM");
            assertTrue(stagedAtKill < EXAMS, "killed midway: " + stagedAtKill + " of " + EXAMS + " staged");

            assertTrue(submit.waitFor(420, TimeUnit.SECONDS), "spark-submit did not finish:\n" + ChildJvm.tail(log));
            assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + ChildJvm.tail(log));
        }
        String runId = Files.readString(out.resolve("LATEST")).strip();
        ReliabilityFigures.Audit audit = ReliabilityFigures.audit(TestSpark.get(),
                out.resolve("runs").resolve(runId).toString(), EXAMS, TestModels.analyzer().structureCount());
        assertEquals(new ReliabilityFigures.Audit(0, 0), audit);
        assertNoOpRerun(manifest, out);
        ReliabilityFigures.record(getClass(), "cluster: worker and executor SIGKILLed mid-job", 1, 0, audit);
    }

    @Test
    @Tag("reliability")
    void speculativeDuplicatesOfAnExamNeverDuplicateARow() throws Exception {
        assumeTrue(TestCluster.available(), "run through `mvn verify`: needs " + TestCluster.appJar());
        Path manifest = TestCohort.manifest(tmp.resolve("manifest.csv"),
                TestCohort.write(tmp.resolve("data"), 4, 600), List.of());
        Path out = tmp.resolve("out");
        Path events = Files.createDirectories(tmp.resolve("events"));
        try (TestCluster cluster = TestCluster.startMaster(tmp)) {
            // Two hosts: Spark never runs a speculative copy on the host of the original attempt.
            cluster.startWorker(1, "127.0.0.1", List.of());
            cluster.startWorker(2, "127.0.0.2", List.of());
            Path log = tmp.resolve("submit.log");
            Process submit = cluster.submit(manifest, out, "cpu", log, "spark.executor.memory=1g",
                    "spark.speculation=true", "spark.speculation.interval=200ms", "spark.speculation.quantile=0.5",
                    "spark.speculation.multiplier=1.5", "spark.speculation.minTaskRuntime=1s",
                    // One plain JSON-lines event log (Spark 4 rolls and compresses by default).
                    "spark.eventLog.enabled=true", "spark.eventLog.dir=" + events.toUri(),
                    "spark.eventLog.rolling.enabled=false", "spark.eventLog.compress=false",
                    // EX0000's first attempt straggles for 2 minutes; its speculative copy does not.
                    TestCluster.executorJavaOptions("-D" + ExamRunner.SLOW_FIRST_ATTEMPT_PROPERTY + "=EX0000:120000"));
            assertTrue(submit.waitFor(420, TimeUnit.SECONDS), "spark-submit did not finish:\n" + ChildJvm.tail(log));
            assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + ChildJvm.tail(log));
        }
        long speculative = speculativeLaunches(events);
        assertTrue(speculative >= 1, "Spark launched a speculative copy of the straggler");
        String runId = Files.readString(out.resolve("LATEST")).strip();
        ReliabilityFigures.Audit audit = ReliabilityFigures.audit(TestSpark.get(),
                out.resolve("runs").resolve(runId).toString(), 4, TestModels.analyzer().structureCount());
        assertEquals(new ReliabilityFigures.Audit(0, 0), audit);
        ReliabilityFigures.record(getClass(), "cluster: spark.speculation, " + speculative + " speculative attempt(s)",
                0, 1, audit);
    }

    /** A second run with --incremental processes nothing and publishes the same rows. */
    private static void assertNoOpRerun(Path manifest, Path out) throws IOException {
        RunSummary again = new CohortJob(TestSpark.get(), TestModels.analyzer(),
                CohortJob.Options.of(manifest.toString(), out.toString(), true), System.err).run();
        assertEquals(0, again.processed());
        assertEquals(0, again.reused());
        assertEquals(EXAMS, again.carried());
        assertEquals(EXAMS * (long) TestModels.analyzer().structureCount(), again.measurementRows());
    }

    /** Task launches the event log (Spark's EventLoggingListener) marks speculative. */
    private static long speculativeLaunches(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        long n = 0;
        try (Stream<Path> files = Files.list(events)) {
            // Hadoop's local file system writes a hidden .NAME.crc beside each file.
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode e = json.readTree(line);
                    if ("SparkListenerTaskStart".equals(e.path("Event").asText())
                            && e.path("Task Info").path("Speculative").asBoolean()) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
