package io.ctcohort.engine.infer;

import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.model.ModelDirectory;
import io.ctcohort.engine.model.ResolvedCard;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * One loaded model and the native state it runs with, closed in one place (DJL's closeable
 * {@code Model}): the verified model directory and its {@link ResolvedCard}, the ONNX Runtime
 * sessions per device ({@link Sessions}), the tile tensors ({@link TensorPool}) and the
 * {@link OrtSettings} every session is created with. {@link #segmenter} hands out one thread-safe
 * {@link Segmenter} per device.
 *
 * <p>Every native handle here has this one owner. {@link #close} waits for inference calls in
 * flight (they hold the handle's read lock), then closes the pool and the sessions; a closed handle
 * refuses every later use with an {@link IllegalStateException} naming the model. Most code takes
 * its handle from the per-JVM registry {@link ModelHandles}, which closes them at JVM shutdown.
 */
public final class ModelHandle implements AutoCloseable {
    private final ModelDirectory model;
    private final OrtSettings settings;
    private final LabelMap labelMap;
    private final Sessions sessions;
    private final TensorPool pool = new TensorPool();
    private final Map<Device, Segmenter> segmenters = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Consumer<ModelHandle> onClose;
    private volatile boolean closed;

    private ModelHandle(ModelDirectory model, OrtSettings settings, Consumer<ModelHandle> onClose) {
        this.model = model;
        this.settings = settings;
        this.labelMap = LabelMap.of(model.labels());
        this.sessions = new Sessions(settings);
        this.onClose = onClose;
    }

    /**
     * A handle of the caller's own (it closes it): the card is validated and every ONNX file's sha256
     * checked here (ModelIntegrityException on mismatch); sessions are created on first use.
     */
    public static ModelHandle open(Path modelDir, OrtSettings settings) {
        return open(modelDir, settings, h -> { });
    }

    /** As above; {@code onClose} is told once the handle has closed (the registry forgets it). */
    static ModelHandle open(Path modelDir, OrtSettings settings, Consumer<ModelHandle> onClose) {
        return new ModelHandle(ModelDirectory.load(modelDir), settings, onClose);
    }

    /**
     * The segmenter of this model on a concrete device (cpu, cuda:N; a request such as auto is
     * resolved first, {@link Device#resolve}), one per device. A device whose execution provider is
     * missing fails here with a CtCohortException.
     */
    public Segmenter segmenter(Device device) {
        if (!device.isConcrete()) {
            throw new IllegalArgumentException("device " + device + " is a request: resolve it to cpu or cuda:N first");
        }
        requireOpen();
        Sessions.checkProvider(device);
        return segmenters.computeIfAbsent(device, d -> new Segmenter(this, d));
    }

    public ModelDirectory model() {
        return model;
    }

    /** The card with its defaults applied, resolved once when the directory was loaded. */
    public ResolvedCard card() {
        return model.resolved();
    }

    public OrtSettings settings() {
        return settings;
    }

    /** The merged label map (label -> TotalSegmentator structure name). */
    public LabelMap labelMap() {
        return labelMap;
    }

    public boolean isClosed() {
        return closed;
    }

    /** ONNX Runtime sessions created so far (all devices). */
    int sessionCount() {
        return sessions.size();
    }

    Sessions sessions() {
        return sessions;
    }

    TensorPool pool() {
        return pool;
    }

    /** Fails when closed: every use of the handle starts here. */
    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model handle " + model.dir() + " (" + model.card().id()
                    + ") is closed; open the model again (ModelHandles.open)");
        }
    }

    /**
     * Holds the handle open for one inference call: {@link #close} waits until the returned lock is
     * released. Fails when the handle is closed.
     */
    Lock use() {
        Lock read = lock.readLock();
        read.lock();
        if (closed) {
            read.unlock();
            requireOpen();
        }
        return read;
    }

    /** Closes the handle once inference calls in flight have finished. Idempotent. */
    @Override
    public void close() {
        Lock write = lock.writeLock();
        write.lock();
        try {
            closeLocked();
        } finally {
            write.unlock();
        }
    }

    /**
     * As {@link #close}, giving up after {@code millis} when calls are still running (at JVM shutdown,
     * where a task thread may be mid-inference: the process exit frees its memory then).
     *
     * @return whether the handle is closed
     */
    boolean closeWithin(long millis) throws InterruptedException {
        Lock write = lock.writeLock();
        if (!write.tryLock(millis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        try {
            closeLocked();
            return true;
        } finally {
            write.unlock();
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        segmenters.clear();
        try {
            pool.close();
        } finally {
            try {
                sessions.close();
            } finally {
                onClose.accept(this);
            }
        }
    }

    @Override
    public String toString() {
        return "ModelHandle[" + model.dir() + ", " + model.card().id() + ", " + settings + (closed ? ", closed]" : "]");
    }
}
