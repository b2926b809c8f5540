package io.ctcohort.analytics;

import io.ctcohort.analytics.cli.AnalyzeCommand;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.layout.ExclusiveCreate;
import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.core.layout.LockedOutput;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.core.layout.OutputLockedException;
import io.ctcohort.core.tables.AgeEffectsTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze} writes its tables into the run folder under the output root's lock, as segment
 * does: while another live job holds OUT's lock it is refused (exit 2) naming that job, and with
 * --wait-for-lock it waits and proceeds once the holder releases.
 */
class AnalyzeLockTest extends SharedSpark {
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final String HOLDER = "20261129T101500Z-held";

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void refusedWhileAnotherJobHoldsTheRootThenWaitsAndProceeds(@TempDir Path tmp) throws Exception {
        Path out = outputRoot(tmp);
        Path tables = out.resolve(OutputLayout.RUNS).resolve("r1").resolve(AgeEffectsTable.NAME);
        try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), new Configuration())) {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out.toUri());
            OutputLock held = OutputLock.acquire(fs, root, STALE, false, System.err);
            held.runId(HOLDER);

            assertEquals(AnalyzeCommand.EXIT_BAD_INPUT, analyze(out));
            String said = err.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("analyze: output ") && said.contains(out + " is in use by another job"), said);
            assertTrue(said.contains("run " + HOLDER + " on host " + InetAddress.getLocalHost().getHostName()), said);
            assertFalse(Files.exists(tables), "refused before writing");

            err.reset();
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> analyze(out, "--wait-for-lock"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!err.toString(StandardCharsets.UTF_8).contains("waiting for the lock") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("held by run " + HOLDER), err.toString());
            assertFalse(waiting.isDone(), "waits while the holder lives");
            held.close();
            assertEquals(0, waiting.get(120, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
            assertTrue(spark.read().parquet(tables.toString()).count() > 0, "tables written once released");
            OutputLock.acquire(fs, root, STALE, false, System.err).close(); // analyze released its lock
        }
    }

    /**
     * A job whose lock another job took over (this one was silent past the stale limit) writes no table:
     * the study checks the lock before each write, and stops with the lock's refusal.
     */
    @Test
    void aStudyWhoseLockWasTakenOverWritesNoTable(@TempDir Path tmp) throws Exception {
        Path out = outputRoot(tmp);
        Path tables = out.resolve(OutputLayout.RUNS).resolve("r1").resolve(AgeEffectsTable.NAME);
        Configuration conf = new Configuration();
        try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out.toUri());
            try (OutputLock lock = LockedOutput.take(fs, root, new LockPolicy(STALE, false), "analyze", System.err)) {
                assertTrue(ExclusiveCreate.create(fs, new org.apache.hadoop.fs.Path(root, OutputLock.DIR + "/"
                        + String.format("%012d", lock.generation() + 1)), "run_id=other\n".getBytes(StandardCharsets.UTF_8)));
                OutputLayout.Run run = OutputLayout.resolve(out.toString(), conf);
                OutputLockedException e = assertThrows(OutputLockedException.class, () -> AnalyzeJob.runLocal(conf, run,
                        System.nanoTime(), null, null, StudyOptions.defaults(), () -> {
                            try {
                                lock.checkHeld();
                            } catch (java.io.IOException x) {
                                throw new java.io.UncheckedIOException(x);
                            }
                        }));
                assertTrue(e.getMessage().contains("another job took the lock over from this one"), e.getMessage());
                assertFalse(Files.exists(tables), "no table written");
            }
        }
    }

    /** The edge fixture published as OUT/runs/r1 (exams/ + measurements/, _SUCCESS) named by OUT/LATEST. */
    private static Path outputRoot(Path tmp) throws Exception {
        Path flat = AnalyzeCommandTest.edgeFlatFolder(spark, tmp.resolve("flat"));
        Path out = tmp.resolve("out");
        Path run = Files.createDirectories(out.resolve(OutputLayout.RUNS).resolve("r1"));
        for (String table : new String[] {OutputLayout.EXAMS, OutputLayout.MEASUREMENTS}) {
            Files.move(flat.resolve(table + OutputLayout.FLAT_SUFFIX), run.resolve(table));
        }
        Files.createFile(run.resolve(OutputLayout.SUCCESS));
        Files.writeString(out.resolve(OutputLayout.LATEST), "r1\n");
        return out;
    }

    /** Runs analyze on {@code out} (local engine, no centiles) with its stderr going to {@link #err}. */
    private int analyze(Path out, String... extra) {
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] args = {"--in", out.toString(), "--no-centiles", "--engine", "local"};
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
                    .toArray(String[]::new);
            return new CommandLine(new AnalyzeCommand()).execute(all);
        } finally {
            System.setErr(saved);
        }
    }
}
