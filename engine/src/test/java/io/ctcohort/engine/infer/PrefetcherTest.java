package io.ctcohort.engine.infer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetcherTest {
    /** Items in order, a failure handed over with its item, the same outcome with and without a helper. */
    @Test
    void keepsOrderAndHandsFailuresOverWithTheirItem() throws Exception {
        for (int depth : new int[] {0, 1, 3}) {
            List<String> seen = new ArrayList<>();
            try (Prefetcher<Integer, String> p = new Prefetcher<>(List.of(1, 2, 3, 4, 5).iterator(), i -> {
                if (i == 3) {
                    throw new IOException("exam 3 is truncated");
                }
                return "prepared " + i;
            }, depth)) {
                while (p.hasNext()) {
                    Prefetcher.Prepared<Integer, String> next = p.next();
                    if (next.item() == 3) {
                        IOException e = assertThrows(IOException.class, next::get);
                        assertEquals("exam 3 is truncated", e.getMessage());
                        assertNull(next.value());
                    } else {
                        seen.add(next.get());
                    }
                }
            }
            assertEquals(List.of("prepared 1", "prepared 2", "prepared 4", "prepared 5"), seen, "depth " + depth);
        }
    }

    /** Depth 1: the next item is prepared on another thread while the caller holds the current one, never more. */
    @Test
    void preparesOneAheadOnAHelperThread() throws Exception {
        AtomicInteger started = new AtomicInteger();
        CountDownLatch secondStarted = new CountDownLatch(1);
        List<String> threads = new ArrayList<>();
        try (Prefetcher<Integer, Integer> p = new Prefetcher<>(List.of(0, 1, 2, 3).iterator(), i -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            started.incrementAndGet();
            if (i == 1) {
                secondStarted.countDown();
            }
            return i;
        }, 1)) {
            assertEquals(0, p.next().get());
            // while the caller works on item 0, item 1 is prepared, and item 2 is not started
            assertTrue(secondStarted.await(10, TimeUnit.SECONDS), "item 1 was not prepared ahead");
            Thread.sleep(100);
            assertEquals(2, started.get());
            assertEquals(1, p.next().get());
            assertEquals(2, p.next().get());
            assertEquals(3, p.next().get());
            assertFalse(p.hasNext());
        }
        threads.forEach(t -> assertNotEquals(Thread.currentThread().getName(), t));
    }

    @Test
    void depthZeroPreparesOnTheCallersThread() throws Exception {
        Thread caller = Thread.currentThread();
        try (Prefetcher<Integer, Thread> p = new Prefetcher<>(List.of(1).iterator(), i -> Thread.currentThread(), 0)) {
            assertSame(caller, p.next().get());
        }
        assertThrows(IllegalArgumentException.class, () -> new Prefetcher<>(List.of(1).iterator(), i -> i, -1));
    }
}
