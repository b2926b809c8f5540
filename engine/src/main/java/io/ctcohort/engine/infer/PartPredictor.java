package io.ctcohort.engine.infer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.ModelPart;

import java.util.Map;

/**
 * Runs one network over a normalized image with nnU-Net's sliding window and writes its argmax
 * labels into the merged label map. This class holds the session, the network call and the tile
 * loop; where tiles go is {@link TileGrid}, test-time flips {@link Mirroring}, the summed logits and
 * their argmax {@link LogitRing} (memory bounded by the patch depth, not the image depth).
 *
 * <p>ONNX Runtime Java copies on {@code getFloatBuffer()}, so input and output tensors are created
 * once over direct buffers and the session writes into them ({@code run(inputs, pinnedOutputs)});
 * they come from the model handle's {@link TensorPool} and are reused across tiles and exams. The
 * session is the handle's ({@link Sessions}).
 */
final class PartPredictor {
    private final ModelPart part;
    private final Device device;
    private final Sessions sessions;
    private final TensorPool pool;
    private volatile OrtSession session;
    /** The model's own batch size when its input has a fixed batch dimension, else 0. */
    private volatile int fixedBatch;
    /** The Gaussian importance map of the part's patch: fixed per part, so built once (racing builds agree). */
    private volatile float[] gaussian;

    PartPredictor(ModelPart part, Device device, Sessions sessions, TensorPool pool) {
        this.part = part;
        this.device = device;
        this.sessions = sessions;
        this.pool = pool;
    }

    ModelPart part() {
        return part;
    }

    /**
     * The shared session, published only after its signature passed the check (and fixedBatch is set):
     * a model that fails the check fails it on every call, never runs unchecked on a later one.
     */
    private OrtSession session() {
        OrtSession s = session;
        if (s == null) {
            synchronized (this) {
                s = session;
                if (s == null) {
                    s = sessions.get(part, device);
                    checkSignature(s);
                    session = s;
                }
            }
        }
        return s;
    }

    private void checkSignature(OrtSession s) {
        try {
            Map<String, NodeInfo> in = s.getInputInfo();
            Map<String, NodeInfo> out = s.getOutputInfo();
            if (!in.containsKey(part.inputName()) || !out.containsKey(part.outputName())) {
                throw new CtCohortException(part.onnxFile() + ": model card names input '" + part.inputName()
                        + "' and output '" + part.outputName() + "', the model has inputs " + in.keySet()
                        + " and outputs " + out.keySet());
            }
            if (in.get(part.inputName()).getInfo() instanceof TensorInfo ii && ii.getShape().length == 5
                    && ii.getShape()[0] > 0) {
                fixedBatch = (int) ii.getShape()[0];
            }
            if (out.get(part.outputName()).getInfo() instanceof TensorInfo ti) {
                long[] shape = ti.getShape();
                if (shape.length != 5) {
                    throw new CtCohortException(part.onnxFile() + ": output must be [N, C, Z, Y, X], has "
                            + shape.length + " dimensions");
                }
                if (shape[1] > 0 && shape[1] != part.numClasses()) {
                    throw new CtCohortException(part.onnxFile() + ": model outputs " + shape[1]
                            + " classes, its labels in the model card imply " + part.numClasses());
                }
            }
        } catch (OrtException e) {
            throw new CtCohortException(part.onnxFile() + ": cannot inspect model: " + e.getMessage(), e);
        }
    }

    /**
     * Predicts the image (normalized, x fastest, dims nx*ny*nz), each tile also flipped by every mask
     * of {@code mirrorMasks} after the first (0, the tile as is; {@link Mirroring#masks}), and writes
     * label channelToLabel[argmax] wherever it is not background into {@code out} (same grid), leaving
     * other voxels as they are. Tiles are visited z-slab by z-slab (z is the slowest axis); after each slab the slices no later
     * tile reaches leave the logit ring.
     */
    void predict(float[] image, int nx, int ny, int nz, double step, int[] mirrorMasks, int batchSize,
                 LabelVolume out) {
        OrtSession s = session();
        TileGrid grid = TileGrid.of(nx, ny, nz, part.patchSize(), step);
        LogitRing ring = new LogitRing(grid, part.numClasses(), gaussian());
        int batch = fixedBatch > 0 ? fixedBatch : Math.max(1, batchSize); // an exported fixed batch wins
        TileBuffers buf = pool.borrow(part, batch, grid.tileVoxels());
        try {
            float[] tile = new float[grid.tileVoxels()];
            float[] flipped = mirrorMasks.length > 1 ? new float[grid.tileVoxels()] : null;
            Tile[] tiles = new Tile[batch];
            int filled = 0;
            int finalizedUpTo = 0;
            for (int k = 0; k < grid.zs.length; k++) {
                int z0 = grid.zs[k];
                for (int y0 : grid.ys) {
                    for (int x0 : grid.xs) {
                        grid.fill(image, x0, y0, z0, tile);
                        for (int mask : mirrorMasks) {
                            if (mask != 0) {
                                Mirroring.flip(tile, flipped, mask, grid.px, grid.py, grid.pz);
                            }
                            buf.put(filled, mask == 0 ? tile : flipped);
                            tiles[filled++] = new Tile(x0, y0, z0, mask);
                            if (filled == batch) {
                                runBatch(s, buf, tiles, filled, ring);
                                filled = 0;
                            }
                        }
                    }
                }
                if (filled > 0) {
                    buf.clearFrom(filled);
                    runBatch(s, buf, tiles, filled, ring);
                    filled = 0;
                }
                int until = grid.finalBelow(k);
                for (int z = finalizedUpTo; z < until; z++) {
                    ring.finalizeSlice(z, part.channelToLabel(), out);
                }
                finalizedUpTo = until;
            }
        } finally {
            pool.giveBack(part, buf);
        }
    }

    /** The Gaussian importance map of the part's patch: fixed per part, so built once (racing builds agree). */
    private float[] gaussian() {
        float[] g = gaussian;
        if (g == null) {
            int[] patch = part.patchSize();
            g = gaussian = SlidingWindow.gaussian(patch[0], patch[1], patch[2]);
        }
        return g;
    }

    /** Runs the network on the batch's first {@code filled} tiles and adds their logits to the ring. */
    private void runBatch(OrtSession s, TileBuffers buf, Tile[] tiles, int filled, LogitRing ring) {
        long started = RunClock.start();
        try (OrtSession.Result r = s.run(Map.of(part.inputName(), buf.inputTensor),
                Map.of(part.outputName(), buf.outputTensor))) {
            // outputs are in buf.output (pinned); nothing to take from the result
        } catch (OrtException e) {
            throw new CtCohortException(part.onnxFile() + ": inference failed: " + e.getMessage(), e);
        } finally {
            RunClock.stop(started);
        }
        for (int b = 0; b < filled; b++) {
            ring.add(buf.output, buf.outputOffset(b), tiles[b]);
        }
    }
}
