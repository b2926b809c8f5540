package io.ctcohort.pipeline.job;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.util.LongAccumulator;

/**
 * Prints "exams done / total, exams per minute, ETA" to stderr while a run processes exams. It
 * polls an accumulator that every finished task adds to (the driver sees the update when the task
 * ends), so it works the same in local mode and on a cluster.
 */
public final class ProgressReporter implements AutoCloseable {
    private final LongAccumulator done;
    private final long total;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean stopped;
    private long lastPrinted = -1;

    public ProgressReporter(String job, LongAccumulator done, long total, PrintStream out, long intervalMillis) {
        this.done = done;
        this.total = total;
        this.out = out;
        this.thread = new Thread(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
                print(job, false);
            }
        }, "ctcohort-progress");
        thread.setDaemon(true);
    }

    public ProgressReporter start() {
        thread.start();
        return this;
    }

    /** One progress line, e.g. {@code segment: 120/4004 exams, 35.2 exams/min, ETA 1h50m}. */
    public static String line(String job, long done, long total, double minutes) {
        double rate = minutes > 0 ? done / minutes : 0;
        String eta;
        if (done >= total) {
            eta = "done";
        } else if (rate <= 0) {
            eta = "ETA --";
        } else {
            long s = Math.round((total - done) / rate * 60);
            eta = s >= 3600 ? String.format(Locale.ROOT, "ETA %dh%02dm", s / 3600, s / 60 % 60)
                    : String.format(Locale.ROOT, "ETA %dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%s: %d/%d exams, %.1f exams/min, %s", job, done, total, rate, eta);
    }

    private synchronized void print(String job, boolean force) {
        long d = done.value();
        if (!force && d == lastPrinted) {
            return;
        }
        lastPrinted = d;
        out.println(line(job, d, total, (System.nanoTime() - startNanos) / 6e10));
    }

    public void finish(String job) {
        stopped = true;
        thread.interrupt();
        print(job, true);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
