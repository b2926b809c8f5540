package io.ctcohort.core.layout;

import io.ctcohort.pipeline.TestS3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Of two creators racing for one path, exactly one wins, on local disk and on S3 (s3proxy, with
 * S3A's existence check switched off so that only the store's If-None-Match decides).
 */
class ExclusiveCreateTest {
    private static final int ROUNDS = 20;

    @TempDir
    Path tmp;

    /** Races two creators (each with its own FileSystem client) for each of ROUNDS paths. */
    static void exactlyOneWinsEachRound(FileSystem a, FileSystem b, String base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(base + "/race/" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (FileSystem fs : List.of(a, b)) {
                    String who = fs == a ? "a" : "b";
                    Callable<Boolean> c = () -> {
                        start.await();
                        return ExclusiveCreate.create(fs, p, who.getBytes(StandardCharsets.UTF_8));
                    };
                    results.add(pool.submit(c));
                }
                boolean first = results.get(0).get();
                boolean second = results.get(1).get();
                assertTrue(first ^ second, "round " + round + ": exactly one winner, got " + first + ", " + second);
                String content = OutputLayout.readSmall(a, p);
                assertEquals(first ? "a" : "b", content, "the winner's content");
                assertFalse(ExclusiveCreate.create(a, p, "late".getBytes(StandardCharsets.UTF_8)), "an existing file");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void localDisk() throws Exception {
        Configuration conf = new Configuration();
        FileSystem a = FileSystem.newInstance(URI.create("file:///"), conf);
        FileSystem b = FileSystem.newInstance(URI.create("file:///"), conf);
        try {
            exactlyOneWinsEachRound(a, b, tmp.toUri().toString());
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * Control: with S3A's existence check off, a plain create(overwrite=false) replaces an existing
     * object; only the If-None-Match PUT is refused, so the store's 412 is what decides the race.
     */
    @Test
    void s3WithoutTheConditionASecondWriterWins() throws Exception {
        try (TestS3 s3 = TestS3.start("locks")) {
            Configuration conf = s3.conf();
            conf.setBoolean("fs.s3a.create.performance", true);
            try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://locks/"), conf)) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path("s3a://locks/out/x");
                assertTrue(ExclusiveCreate.create(fs, p, "a".getBytes(StandardCharsets.UTF_8)));
                try (var out = fs.create(p, false)) {
                    out.write('b');
                }
                assertEquals("b", OutputLayout.readSmall(fs, p), "plain create(overwrite=false) replaced it");
                assertFalse(ExclusiveCreate.create(fs, p, "c".getBytes(StandardCharsets.UTF_8)));
                assertEquals("b", OutputLayout.readSmall(fs, p));
            }
        }
    }

    @Test
    void s3WithIfNoneMatch() throws Exception {
        try (TestS3 s3 = TestS3.start("locks")) {
            Configuration conf = s3.conf();
            conf.setBoolean("fs.s3a.create.performance", true); // no HEAD first: the PUT's condition alone decides
            FileSystem a = FileSystem.newInstance(URI.create("s3a://locks/"), conf);
            FileSystem b = FileSystem.newInstance(URI.create("s3a://locks/"), conf);
            try {
                exactlyOneWinsEachRound(a, b, "s3a://locks/out");
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
