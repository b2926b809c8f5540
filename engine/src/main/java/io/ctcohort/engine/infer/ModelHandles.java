package io.ctcohort.engine.infer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-JVM registry of {@link ModelHandle}s: one handle per (model directory, settings), shared
 * by every caller of the JVM (every Spark task of an executor), so a model's sessions exist once per
 * device. It owns the handles it opens and closes them all at JVM shutdown (a shutdown hook) or on
 * {@link #closeAll}; a handle closed on its own leaves the registry, and the next {@link #open}
 * loads the model afresh.
 */
public final class ModelHandles {
    /** How long the shutdown hook waits for an inference call in flight before it leaves a handle open. */
    static final long SHUTDOWN_WAIT_MS = 5_000;

    private record Key(Path dir, OrtSettings settings) {
    }

    private static final Map<Key, ModelHandle> OPEN = new ConcurrentHashMap<>();
    /** Closes the registry's handles when the JVM exits. */
    static final Thread SHUTDOWN_HOOK = new Thread(() -> closeAtShutdown(SHUTDOWN_WAIT_MS), "ctcohort-model-handles");

    static {
        Runtime.getRuntime().addShutdownHook(SHUTDOWN_HOOK);
    }

    private ModelHandles() {
    }

    /** The handle of a model directory with this JVM's settings ({@link OrtSettings#fromSystemProperties}). */
    public static ModelHandle open(Path modelDir) {
        return open(modelDir, OrtSettings.fromSystemProperties());
    }

    /** The handle of a model directory with these settings: the same handle for the same directory and settings. */
    public static ModelHandle open(Path modelDir, OrtSettings settings) {
        Key key = new Key(modelDir.toAbsolutePath().normalize(), settings);
        // A handle closing right now (closed, not yet removed) is replaced, never handed out.
        return OPEN.compute(key, (k, h) -> h != null && !h.isClosed() ? h
                : ModelHandle.open(k.dir(), settings, closed -> OPEN.remove(k, closed)));
    }

    /** Handles open now. */
    public static int openCount() {
        return OPEN.size();
    }

    /** Closes every handle (each waits for its calls in flight). */
    public static void closeAll() {
        RuntimeException failed = null;
        for (ModelHandle h : List.copyOf(OPEN.values())) {
            try {
                h.close();
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** The shutdown hook's work: close each handle, leaving one whose call is still running after {@code waitMs}. */
    static void closeAtShutdown(long waitMs) {
        for (ModelHandle h : List.copyOf(OPEN.values())) {
            try {
                if (!h.closeWithin(waitMs)) {
                    System.err.println("ctcohort: " + h + " still running at shutdown; left to the process exit");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                System.err.println("ctcohort: closing " + h + " at shutdown: " + e.getMessage());
            }
        }
    }
}
