package io.ctcohort.engine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/** The best of several timed repeats of one piece of work, by wall clock or by the thread's CPU clock. */
final class BestOf {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final LongSupplier WALL = System::nanoTime;
    static final LongSupplier THREAD_CPU = THREADS::getCurrentThreadCpuTime;

    /** Work that returns a number derived from its result, so the JIT cannot drop it. */
    interface Task {
        long run() throws IOException;
    }

    private BestOf() {
    }

    /** The least time in ms of {@code repeats} runs of {@code task} on {@code clock} (nanoseconds). */
    static double millis(int repeats, LongSupplier clock, Task task) throws IOException {
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int r = 0; r < repeats; r++) {
            long t0 = clock.getAsLong();
            sink += task.run();
            best = Math.min(best, clock.getAsLong() - t0);
        }
        if (sink == 42) {
            System.out.print("");
        }
        return best / 1e6;
    }
}
