package io.ctcohort.engine.infer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ctcohort.engine.CtCohortException;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.ModelPart;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.IntStream;

/**
 * Runs one network over a normalized image with nnU-Net's sliding window and writes its argmax
 * labels into the merged label map, with memory bounded by the patch depth, not the image depth.
 *
 * <p>Tiles are visited z-slab by z-slab (z is the slowest axis). Logits, weighted by the Gaussian
 * importance map, are summed in a ring of {@code patch_z} slices: tiles starting at z0 cover
 * [z0, z0 + patch_z), and once every tile at z0 has run, slices below the next start are final. Those
 * are argmax-ed and their ring slices reused. nnU-Net divides the sum by the summed weights before
 * the argmax; that divisor is the same positive number for every class, so it is skipped.
 *
 * <p>ONNX Runtime Java copies on {@code getFloatBuffer()}, so input and output tensors are created
 * once over direct buffers and the session writes into them ({@code run(inputs, pinnedOutputs)});
 * they are pooled and reused across tiles and exams.
 */
final class PartPredictor {
    private final ModelPart part;
    private final Device device;
    private final ConcurrentLinkedDeque<TileBuffers> pool = new ConcurrentLinkedDeque<>();
    private volatile OrtSession session;
    /** The model's own batch size when its input has a fixed batch dimension, else 0. */
    private volatile int fixedBatch;
    /** The Gaussian importance map of the part's patch: fixed per part, so built once (racing builds agree). */
    private volatile float[] gaussian;

    PartPredictor(ModelPart part, Device device) {
        this.part = part;
        this.device = device;
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
                    s = Sessions.get(part, device);
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
     * Predicts the image (normalized, x fastest, dims nx*ny*nz) and writes label channelToLabel[argmax]
     * wherever it is not background into {@code out} (same grid), leaving other voxels as they are.
     */
    void predict(float[] image, int nx, int ny, int nz, double step, boolean mirroring, int batchSize,
                 LabelVolume out) {
        OrtSession s = session();
        int[] patch = part.patchSize();
        int px = patch[0];
        int py = patch[1];
        int pz = patch[2];
        // nnU-Net pads to at least the patch size, centred: below = diff // 2, above = the rest. Padding is
        // virtual: tiles read 0 (normalized) outside the image.
        int bx = Math.max(nx, px);
        int by = Math.max(ny, py);
        int bz = Math.max(nz, pz);
        int lx = (bx - nx) / 2;
        int ly = (by - ny) / 2;
        int lz = (bz - nz) / 2;
        int[] xs = SlidingWindow.positions(bx, px, step);
        int[] ys = SlidingWindow.positions(by, py, step);
        int[] zs = SlidingWindow.positions(bz, pz, step);
        float[] gauss = gaussian;
        if (gauss == null) {
            gauss = gaussian = SlidingWindow.gaussian(px, py, pz);
        }
        int classes = part.numClasses();
        int plane = bx * by;
        long ring = (long) plane * pz;
        if (ring > Integer.MAX_VALUE - 8) {
            throw new CtCohortException("a slab of " + pz + " slices of " + bx + "x" + by + " voxels is too large");
        }
        float[][] acc = new float[classes][(int) ring];
        int tileVoxels = px * py * pz;
        int batch = fixedBatch > 0 ? fixedBatch : Math.max(1, batchSize); // an exported fixed batch wins
        TileBuffers buf = borrow(batch, classes, tileVoxels, patch);
        try {
            float[] tile = new float[tileVoxels];
            float[] flipped = mirroring ? new float[tileVoxels] : null;
            int[] masks = mirroring ? new int[] {0, 1, 2, 4, 3, 5, 6, 7} : new int[] {0};
            int[][] batchOrigins = new int[batch][];
            int filled = 0;
            int finalizedUpTo = 0;
            for (int k = 0; k < zs.length; k++) {
                for (int y0 : ys) {
                    for (int x0 : xs) {
                        fillTile(image, nx, ny, nz, lx, ly, lz, x0, y0, zs[k], px, py, pz, tile);
                        for (int mask : masks) {
                            float[] in = tile;
                            if (mask != 0) {
                                flip(tile, flipped, mask, px, py, pz);
                                in = flipped;
                            }
                            buf.input.put(filled * tileVoxels, in, 0, tileVoxels);
                            batchOrigins[filled++] = new int[] {x0, y0, zs[k], mask};
                            if (filled == batch) {
                                runBatch(s, buf, batchOrigins, filled, acc, gauss, bx, by, px, py, pz, classes);
                                filled = 0;
                            }
                        }
                    }
                }
                if (filled > 0) {
                    Arrays.fill(tile, 0f);
                    for (int b = filled; b < batch; b++) {
                        buf.input.put(b * tileVoxels, tile, 0, tileVoxels);
                    }
                    runBatch(s, buf, batchOrigins, filled, acc, gauss, bx, by, px, py, pz, classes);
                    filled = 0;
                }
                int until = k + 1 < zs.length ? zs[k + 1] : bz;
                for (int z = finalizedUpTo; z < until; z++) {
                    finalizeSlice(acc, z, pz, bx, by, lx, ly, lz, nx, ny, nz, out);
                }
                finalizedUpTo = until;
            }
        } finally {
            pool.push(buf);
        }
    }

    private static void fillTile(float[] image, int nx, int ny, int nz, int lx, int ly, int lz,
                                 int x0, int y0, int z0, int px, int py, int pz, float[] tile) {
        int xFrom = Math.max(0, x0 - lx);
        int xTo = Math.min(nx, x0 - lx + px);
        int dx = xFrom - (x0 - lx);
        for (int tz = 0; tz < pz; tz++) {
            int z = z0 + tz - lz;
            for (int ty = 0; ty < py; ty++) {
                int y = y0 + ty - ly;
                int t = (tz * py + ty) * px;
                if (z < 0 || z >= nz || y < 0 || y >= ny || xFrom >= xTo) {
                    Arrays.fill(tile, t, t + px, 0f);
                    continue;
                }
                Arrays.fill(tile, t, t + dx, 0f);
                System.arraycopy(image, nx * (y + ny * z) + xFrom, tile, t + dx, xTo - xFrom);
                Arrays.fill(tile, t + dx + xTo - xFrom, t + px, 0f);
            }
        }
    }

    /**
     * Test-time mirroring (nnU-Net's {@code _internal_maybe_mirror_and_predict}): the tile flipped along
     * the axes in {@code mask} (bit 0 = x, 1 = y, 2 = z); its output is flipped back when accumulated.
     * nnU-Net divides the sum of the 8 predictions by 8, the same for every tile and class, which
     * cannot change the argmax, so we do not.
     */
    static void flip(float[] src, float[] dst, int mask, int px, int py, int pz) {
        boolean fx = (mask & 1) != 0;
        boolean fy = (mask & 2) != 0;
        boolean fz = (mask & 4) != 0;
        for (int tz = 0; tz < pz; tz++) {
            int sz = fz ? pz - 1 - tz : tz;
            for (int ty = 0; ty < py; ty++) {
                int sy = fy ? py - 1 - ty : ty;
                int from = (sz * py + sy) * px;
                int to = (tz * py + ty) * px;
                if (!fx) {
                    System.arraycopy(src, from, dst, to, px);
                } else {
                    for (int x = 0; x < px; x++) {
                        dst[to + x] = src[from + px - 1 - x];
                    }
                }
            }
        }
    }

    private void runBatch(OrtSession s, TileBuffers buf, int[][] origins, int filled, float[][] acc, float[] gauss,
                          int bx, int by, int px, int py, int pz, int classes) {
        long started = RunClock.start();
        try (OrtSession.Result r = s.run(Map.of(part.inputName(), buf.inputTensor),
                Map.of(part.outputName(), buf.outputTensor))) {
            // outputs are in buf.output (pinned); nothing to take from the result
        } catch (OrtException e) {
            throw new CtCohortException(part.onnxFile() + ": inference failed: " + e.getMessage(), e);
        } finally {
            RunClock.stop(started);
        }
        int tileVoxels = px * py * pz;
        int plane = bx * by;
        for (int b = 0; b < filled; b++) {
            int[] o = origins[b];
            boolean fx = (o[3] & 1) != 0;
            boolean fy = (o[3] & 2) != 0;
            boolean fz = (o[3] & 4) != 0;
            long base = (long) b * classes * tileVoxels;
            IntStream.range(0, classes).parallel().forEach(c -> {
                float[] row = new float[px];
                float[] a = acc[c];
                int src = (int) (base + (long) c * tileVoxels);
                for (int tz = 0; tz < pz; tz++) {
                    int oz = fz ? pz - 1 - tz : tz; // where this output row belongs in the unflipped tile
                    int ringZ = ((o[2] + oz) % pz) * plane;
                    for (int ty = 0; ty < py; ty++) {
                        int oy = fy ? py - 1 - ty : ty;
                        buf.output.get(src + (tz * py + ty) * px, row, 0, px);
                        int g = (oz * py + oy) * px;
                        int dst = ringZ + (o[1] + oy) * bx + o[0];
                        if (!fx) {
                            for (int x = 0; x < px; x++) {
                                a[dst + x] += row[x] * gauss[g + x];
                            }
                        } else {
                            for (int x = 0, r = px - 1; x < px; x++, r--) {
                                a[dst + r] += row[x] * gauss[g + r];
                            }
                        }
                    }
                }
            });
        }
    }

    /** Argmax of padded slice z into the label map (if z lies in the image), then clears its ring slice. */
    private void finalizeSlice(float[][] acc, int z, int pz, int bx, int by, int lx, int ly, int lz,
                               int nx, int ny, int nz, LabelVolume out) {
        int ringZ = (z % pz) * bx * by;
        int zr = z - lz;
        int[] channelToLabel = part.channelToLabel();
        if (zr >= 0 && zr < nz) {
            IntStream.range(0, ny).parallel().forEach(yr -> {
                int rowStart = ringZ + (yr + ly) * bx + lx;
                int[] best = new int[nx];
                float[] bestVal = new float[nx];
                System.arraycopy(acc[0], rowStart, bestVal, 0, nx);
                for (int c = 1; c < acc.length; c++) {
                    float[] a = acc[c];
                    for (int x = 0; x < nx; x++) {
                        float v = a[rowStart + x];
                        if (v > bestVal[x]) { // first maximum wins, as numpy/torch argmax
                            bestVal[x] = v;
                            best[x] = c;
                        }
                    }
                }
                int o = nx * (yr + ny * zr);
                for (int x = 0; x < nx; x++) {
                    int label = channelToLabel[best[x]];
                    if (label != 0) {
                        out.set(o + x, label);
                    }
                }
            });
        }
        for (float[] a : acc) {
            Arrays.fill(a, ringZ, ringZ + bx * by, 0f);
        }
    }

    private TileBuffers borrow(int batch, int classes, int tileVoxels, int[] patch) {
        for (TileBuffers b : pool) {
            if (b.batch == batch && pool.remove(b)) {
                return b;
            }
        }
        return new TileBuffers(batch, classes, tileVoxels, patch);
    }

    /** Direct input/output buffers for one batch of tiles and the ONNX tensors that wrap them (no copy). */
    private static final class TileBuffers {
        final int batch;
        final FloatBuffer input;
        final FloatBuffer output;
        final OnnxTensor inputTensor;
        final OnnxTensor outputTensor;

        TileBuffers(int batch, int classes, int tileVoxels, int[] patch) {
            this.batch = batch;
            long outFloats = (long) batch * classes * tileVoxels;
            if (outFloats * 4 > Integer.MAX_VALUE) {
                throw new CtCohortException("a batch of " + batch + " tiles of " + classes + " classes x "
                        + tileVoxels + " voxels exceeds 2 GiB of logits; use a smaller batch");
            }
            input = ByteBuffer.allocateDirect(batch * tileVoxels * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            output = ByteBuffer.allocateDirect((int) outFloats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            long[] inShape = {batch, 1, patch[2], patch[1], patch[0]};
            long[] outShape = {batch, classes, patch[2], patch[1], patch[0]};
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try {
                inputTensor = OnnxTensor.createTensor(env, input, inShape);
            } catch (OrtException e) {
                throw new CtCohortException("cannot create tile tensors: " + e.getMessage(), e);
            }
            try {
                outputTensor = OnnxTensor.createTensor(env, output, outShape);
            } catch (OrtException e) {
                inputTensor.close(); // native memory: not left to a GC that may never come
                throw new CtCohortException("cannot create tile tensors: " + e.getMessage(), e);
            }
        }
    }
}
