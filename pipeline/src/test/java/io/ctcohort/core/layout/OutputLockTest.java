package io.ctcohort.core.layout;

import io.ctcohort.pipeline.TestS3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output lock on local disk and on S3 (s3proxy): a second job is refused naming the first, or
 * waits for it; a holder that keeps its heartbeat is never taken for dead, a silent one is taken
 * over; a job whose lock was taken over learns it before publishing; of jobs racing, one wins.
 */
class OutputLockTest {
    private static final Duration STALE = Duration.ofSeconds(2);

    @TempDir
    java.nio.file.Path tmp;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(said, true, StandardCharsets.UTF_8);

    @Test
    void localDisk() throws Exception {
        try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), new Configuration())) {
            everyRule(fs, new Path(tmp.toUri().toString(), "out"));
        }
    }

    @Test
    void s3() throws Exception {
        try (TestS3 s3 = TestS3.start("lockbucket");
             FileSystem fs = FileSystem.newInstance(URI.create("s3a://lockbucket/"), s3.conf())) {
            everyRule(fs, new Path("s3a://lockbucket/out"));
        }
    }

    private void everyRule(FileSystem fs, Path root) throws Exception {
        refusedNamingTheHolderThenFree(fs, root);
        waitsForTheHolder(fs, root);
        aBeatingHolderIsNeverStaleButASilentOneIsTakenOver(fs, root);
        aJobWhoseLockWasTakenOverMustNotPublish(fs, root);
        ofRacingJobsOneWins(fs, root);
    }

    private void refusedNamingTheHolderThenFree(FileSystem fs, Path root) throws Exception {
        OutputLock first = OutputLock.acquire(fs, root, STALE, false, log);
        first.runId("20261129T070000000Z");
        OutputLockedException e = assertThrows(OutputLockedException.class,
                () -> OutputLock.acquire(fs, root, STALE, false, log));
        assertTrue(e.getMessage().startsWith("output " + root + " is in use by another job: run 20261129T070000000Z"
                + " on host "), e.getMessage());
        assertTrue(e.getMessage().contains("(pid " + ProcessHandle.current().pid() + "), started 20"), e.getMessage());
        assertTrue(e.getMessage().contains("--wait-for-lock"), e.getMessage());
        first.close();
        try (OutputLock second = OutputLock.acquire(fs, root, STALE, false, log)) {
            assertEquals(first.generation() + 1, second.generation(), "generations only grow");
        }
    }

    private void waitsForTheHolder(FileSystem fs, Path root) throws Exception {
        OutputLock first = OutputLock.acquire(fs, root, STALE, false, log);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            long t0 = System.nanoTime();
            Future<OutputLock> waiting = pool.submit(() -> OutputLock.acquire(fs, root, STALE, true, log));
            Thread.sleep(1500);
            assertTrue(!waiting.isDone(), "still waiting while the first holds the lock");
            first.close();
            try (OutputLock second = waiting.get()) {
                assertTrue(System.nanoTime() - t0 >= 1_500_000_000L);
                assertEquals(first.generation() + 1, second.generation());
            }
            assertTrue(said.toString(StandardCharsets.UTF_8).contains("waiting for the lock of " + root));
        } finally {
            pool.shutdownNow();
        }
    }

    private void aBeatingHolderIsNeverStaleButASilentOneIsTakenOver(FileSystem fs, Path root) throws Exception {
        try (OutputLock live = OutputLock.acquire(fs, root, STALE, false, log)) {
            Thread.sleep(STALE.toMillis() * 2);
            assertThrows(OutputLockedException.class, () -> OutputLock.acquire(fs, root, STALE, false, log),
                    "heartbeats keep a live job's lock");
        }
        // A killed job leaves its lock file and beats no more.
        long dead = OutputLock.holder(fs, new Path(root, OutputLock.DIR)).generation() + 1;
        assertTrue(ExclusiveCreate.create(fs, new Path(root, OutputLock.DIR + "/" + String.format("%012d", dead)),
                "run_id=20261129T000000000Z\nhost=gone\npid=4242\nstarted=2026-11-29T00:00:00Z\n"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThrows(OutputLockedException.class, () -> OutputLock.acquire(fs, root, STALE, false, log));
        Thread.sleep(STALE.toMillis() + 1200); // S3's Last-Modified has whole seconds
        try (OutputLock taker = OutputLock.acquire(fs, root, STALE, false, log)) {
            assertEquals(dead + 1, taker.generation());
            assertTrue(said.toString(StandardCharsets.UTF_8).contains("took over the lock of " + root
                    + " from a job silent for"), said.toString(StandardCharsets.UTF_8));
            assertTrue(said.toString(StandardCharsets.UTF_8).contains("run 20261129T000000000Z on host gone (pid 4242)"));
        }
    }

    private void aJobWhoseLockWasTakenOverMustNotPublish(FileSystem fs, Path root) throws Exception {
        OutputLock paused = OutputLock.acquire(fs, root, STALE, false, log);
        paused.checkHeld();
        // what a job that took it over while this one was paused leaves
        assertTrue(ExclusiveCreate.create(fs, new Path(root, OutputLock.DIR + "/"
                + String.format("%012d", paused.generation() + 1)), "run_id=x\n".getBytes(StandardCharsets.UTF_8)));
        OutputLockedException e = assertThrows(OutputLockedException.class, paused::checkHeld);
        assertTrue(e.getMessage().contains("another job took the lock over from this one"), e.getMessage());
        paused.close();
        assertEquals(paused.generation() + 1, OutputLock.holder(fs, new Path(root, OutputLock.DIR)).generation(),
                "a job that lost the lock leaves the newer one alone");
        fs.delete(new Path(root, OutputLock.DIR), true);
    }

    private void ofRacingJobsOneWins(FileSystem fs, Path root) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 5; round++) {
                CyclicBarrier start = new CyclicBarrier(3);
                List<Future<OutputLock>> jobs = new ArrayList<>();
                for (int j = 0; j < 3; j++) {
                    jobs.add(pool.submit(() -> {
                        start.await();
                        return OutputLock.acquire(fs, root, STALE, false, log);
                    }));
                }
                List<OutputLock> won = new ArrayList<>();
                int refused = 0;
                for (Future<OutputLock> f : jobs) {
                    try {
                        won.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof OutputLockedException, e.getCause().toString());
                        refused++;
                    }
                }
                assertEquals(1, won.size(), "round " + round);
                assertEquals(2, refused);
                won.get(0).close();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
