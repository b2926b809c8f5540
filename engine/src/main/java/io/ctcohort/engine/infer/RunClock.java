package io.ctcohort.engine.infer;

/**
 * Times every ONNX Runtime call of this JVM: how many, their summed time, and the wall time during
 * which at least one was in flight. With a GPU session that last figure is the time the device had
 * work (as the host sees it), so busy / wall is the share of wall time the GPU was busy; with
 * several tasks sharing a device their calls overlap and count once. Cheap beside a tile's run.
 */
public final class RunClock {
    private static final Object LOCK = new Object();
    private static int inFlight;
    private static long busySince;
    private static long busyNanos;
    private static long calls;
    private static long callNanos;

    private RunClock() {
    }

    /** Call before a run; pass the result to {@link #stop}. */
    static long start() {
        long now = System.nanoTime();
        synchronized (LOCK) {
            if (inFlight++ == 0) {
                busySince = now;
            }
        }
        return now;
    }

    static void stop(long started) {
        long now = System.nanoTime();
        synchronized (LOCK) {
            calls++;
            callNanos += now - started;
            if (--inFlight == 0) {
                busyNanos += now - busySince;
            }
        }
    }

    /** The totals so far (runs in flight count from their start once they finish). */
    public static Snapshot snapshot() {
        synchronized (LOCK) {
            return new Snapshot(calls, callNanos, busyNanos);
        }
    }

    /** Totals of ONNX Runtime calls: count, summed call time, and time with at least one call in flight. */
    public record Snapshot(long calls, long callNanos, long busyNanos) {
        public Snapshot since(Snapshot earlier) {
            return new Snapshot(calls - earlier.calls, callNanos - earlier.callNanos, busyNanos - earlier.busyNanos);
        }

        /** Mean milliseconds per call (a call is one batch of tiles), 0 when none. */
        public double msPerCall() {
            return calls == 0 ? 0 : callNanos / 1e6 / calls;
        }
    }
}
