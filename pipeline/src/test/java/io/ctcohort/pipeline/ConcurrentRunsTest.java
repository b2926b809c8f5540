package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.core.layout.OutputLockedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code segment --incremental} runs started at the same moment on one output root (two
 * threads driving the Spark session, as two nightly jobs would drive the cluster): one complete
 * run holds every exam exactly once; the other job was refused naming the first, or waited for it.
 */
class ConcurrentRunsTest {
    private static final int EXAMS = 4;

    @TempDir
    static Path tmp;
    static Path manifest;
    static SegmentAnalyzer analyzer;

    @BeforeAll
    static void cohort() throws Exception {
        List<TestCohort.Exam> exams = TestCohort.write(tmp.resolve("data"), EXAMS, 11);
        manifest = TestCohort.manifest(tmp.resolve("manifest.csv"), exams, List.of());
        analyzer = TestModels.analyzer();
    }

    /** Starts two jobs at once; each result is a RunSummary or the exception its job ended with. */
    private static List<Object> race(Path out, boolean wait, ByteArrayOutputStream log) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        PrintStream err = new PrintStream(log, true, StandardCharsets.UTF_8);
        try {
            List<Future<RunSummary>> jobs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jobs.add(pool.submit(() -> {
                    CohortJob.Options o = new CohortJob.Options(manifest.toString(), out.toString(), true, 0,
                            false, 1, wait, 30);
                    CohortJob job = new CohortJob(TestSpark.get(), analyzer, o, err);
                    start.await();
                    return job.run();
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<RunSummary> f : jobs) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    results.add(e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The run's exams: every exam exactly once, all ok, with its measurements. */
    private static void holdsEveryExamOnce(Path out, String runId) {
        String run = out.resolve("runs").resolve(runId).toString();
        List<Row> exams = TestSpark.get().read().parquet(run + "/exams").collectAsList();
        assertEquals(EXAMS, exams.size());
        assertEquals(EXAMS, exams.stream().map(r -> (String) r.getAs("exam_id")).distinct().count());
        exams.forEach(r -> assertEquals("ok", r.getAs("status"), (String) r.getAs("error_message")));
        long rows = TestSpark.get().read().parquet(run + "/measurements").count();
        long keys = TestSpark.get().read().parquet(run + "/measurements").select("exam_id", "structure").distinct().count();
        assertEquals(rows, keys, "one measurement row per exam and structure");
        assertEquals(EXAMS * (long) analyzer.structureCount(), rows);
    }

    private static List<String> completeRuns(Path out) throws Exception {
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            return runs.filter(r -> Files.exists(r.resolve("_SUCCESS"))).map(r -> r.getFileName().toString())
                    .sorted().toList();
        }
    }

    @Test
    void theSecondJobIsRefusedNamingTheFirst() throws Exception {
        Path out = tmp.resolve("refused");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Object> results = race(out, false, log);
        List<RunSummary> done = results.stream().filter(r -> r instanceof RunSummary).map(r -> (RunSummary) r).toList();
        List<Object> refused = results.stream().filter(r -> !(r instanceof RunSummary)).toList();
        assertEquals(1, done.size(), results.toString());
        assertEquals(1, refused.size(), results.toString());
        assertTrue(refused.get(0) instanceof OutputLockedException, refused.get(0).toString());
        String message = ((Exception) refused.get(0)).getMessage();
        assertTrue(message.contains("is in use by another job: run ") && message.contains(" on host ")
                && message.contains(", started 20"), message);
        assertTrue(message.contains("run " + done.get(0).runId()) || message.contains("run (planning)"), message);

        RunSummary s = done.get(0);
        assertEquals(EXAMS, s.processed());
        assertEquals(List.of(s.runId()), completeRuns(out));
        assertEquals(s.runId(), Files.readString(out.resolve("LATEST")).strip());
        holdsEveryExamOnce(out, s.runId());
        assertFalse(Files.exists(out.resolve("staging").resolve(s.runId())), "staging cleared");
    }

    @Test
    void withWaitForLockTheSecondRunsAfterTheFirst() throws Exception {
        Path out = tmp.resolve("waited");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Object> results = race(out, true, log);
        assertTrue(results.stream().allMatch(r -> r instanceof RunSummary), results.toString());
        List<RunSummary> runs = results.stream().map(r -> (RunSummary) r)
                .sorted(java.util.Comparator.comparing(RunSummary::runId)).toList();
        assertEquals(EXAMS, runs.get(0).processed());
        assertEquals(0, runs.get(1).processed(), "the second found every exam done: incremental");
        assertEquals(EXAMS, runs.get(1).carried());
        assertEquals(List.of(runs.get(0).runId(), runs.get(1).runId()), completeRuns(out));
        assertEquals(runs.get(1).runId(), Files.readString(out.resolve("LATEST")).strip());
        holdsEveryExamOnce(out, runs.get(0).runId());
        holdsEveryExamOnce(out, runs.get(1).runId());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("waiting for the lock of "), log.toString());
    }

    /** catalog takes its output root's lock too: it refuses a root another job holds, before any work. */
    @Test
    void catalogRefusesAnOutputAnotherJobHolds() throws Exception {
        Path out = tmp.resolve("catalog-out");
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(
                TestSpark.get().sparkContext().hadoopConfiguration());
        try (OutputLock held = OutputLock.acquire(fs, new org.apache.hadoop.fs.Path(out.toUri()),
                Duration.ofSeconds(30), false, System.err)) {
            OutputLockedException e = assertThrows(OutputLockedException.class,
                    () -> new CatalogJob(TestSpark.get(), SelectionRules.DEFAULT, System.err)
                            .run(tmp.resolve("data").toString(), out.toString()));
            assertTrue(e.getMessage().contains("in use by another job"), e.getMessage());
        }
        assertFalse(Files.exists(out.resolve("manifest.csv")), "nothing written");
    }

    /**
     * Without --incremental too, catalog takes its lock as every command does (its --wait-for-lock and
     * --lock-stale-seconds): asked to wait, it waits for the live holder, then goes on with its work.
     */
    @Test
    void catalogWaitsForTheLockWhenAskedTo() throws Exception {
        Path out = tmp.resolve("catalog-wait");
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(
                TestSpark.get().sparkContext().hadoopConfiguration());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        OutputLock held = OutputLock.acquire(fs, new org.apache.hadoop.fs.Path(out.toUri()), Duration.ofSeconds(30),
                false, System.err);
        CompletableFuture<RuntimeException> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                new CatalogJob(TestSpark.get(), SelectionRules.DEFAULT, logStream).run(
                        tmp.resolve("no-archive").toString(), out.toString(), new LockPolicy(Duration.ofSeconds(30), true));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log.toString(StandardCharsets.UTF_8).contains("waiting for the lock of ") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("held by run "), log.toString(StandardCharsets.UTF_8));
        assertFalse(waiting.isDone(), "waits while the holder lives");
        held.close();
        RuntimeException after = waiting.get(120, TimeUnit.SECONDS);
        assertTrue(after instanceof CtCohortException && after.getMessage().contains("archive root not found"),
                "past the lock, the catalog itself ran: " + after);
    }
}
