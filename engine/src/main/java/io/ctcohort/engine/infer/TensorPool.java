package io.ctcohort.engine.infer;

import io.ctcohort.engine.model.ModelPart;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A model handle's tile tensors ({@link TileBuffers}: direct buffers and the ONNX tensors over
 * them), kept per (part, batch size) and reused across tiles, exams and threads: a call borrows one
 * set, and gives it back when its window is done. Owned and closed by its {@link ModelHandle}.
 */
final class TensorPool implements AutoCloseable {
    private record Key(ModelPart part, int batch) {
    }

    private final Map<Key, ConcurrentLinkedDeque<TileBuffers>> free = new ConcurrentHashMap<>();

    /** A free set for this part and batch, or a new one. */
    TileBuffers borrow(ModelPart part, int batch, int tileVoxels) {
        TileBuffers b = deque(part, batch).poll();
        return b != null ? b : new TileBuffers(batch, part.numClasses(), tileVoxels, part.patchSize());
    }

    void giveBack(ModelPart part, TileBuffers buffers) {
        deque(part, buffers.batch).push(buffers);
    }

    /** Sets held, free to borrow. */
    int size() {
        return free.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    private ConcurrentLinkedDeque<TileBuffers> deque(ModelPart part, int batch) {
        return free.computeIfAbsent(new Key(part, batch), k -> new ConcurrentLinkedDeque<>());
    }

    /** Closes the tensors of every set (the caller, the handle, makes sure none is borrowed). */
    @Override
    public void close() {
        free.values().forEach(d -> d.forEach(TileBuffers::close));
        free.clear();
    }
}
