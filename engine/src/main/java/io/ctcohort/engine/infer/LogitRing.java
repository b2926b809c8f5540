package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.LabelVolume;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The logits of one part, weighted by the Gaussian importance map and summed over tiles, for
 * {@code patch_z} padded slices at a time: tiles starting at z0 cover [z0, z0 + patch_z), so padded
 * slice z lives in ring slice {@code z % patch_z}. Once no later tile reaches a slice it is argmax-ed
 * into the label map and its ring slice cleared for reuse, so memory is bounded by the patch depth,
 * not the image depth.
 *
 * <p>nnU-Net divides the sum by the summed weights before the argmax; that divisor is the same
 * positive number for every class, so it is skipped.
 */
final class LogitRing {
    private final TileGrid grid;
    private final float[] gaussian;
    /** Per class: patch_z padded slices, x fastest. */
    private final float[][] acc;

    LogitRing(TileGrid grid, int classes, float[] gaussian) {
        long ring = (long) grid.paddedPlane() * grid.pz;
        if (ring > Integer.MAX_VALUE - 8) {
            throw new CtCohortException("a slab of " + grid.pz + " slices of " + grid.bx + "x" + grid.by
                    + " voxels is too large");
        }
        this.grid = grid;
        this.gaussian = gaussian;
        this.acc = new float[classes][(int) ring];
    }

    /**
     * Adds one tile's output, {@code classes} x tile voxels starting at float {@code offset} of
     * {@code logits}, flipped back where the tile was mirrored and weighted by the Gaussian.
     */
    void add(FloatBuffer logits, long offset, Tile tile) {
        int px = grid.px;
        int py = grid.py;
        int pz = grid.pz;
        int bx = grid.bx;
        int plane = grid.paddedPlane();
        int tileVoxels = grid.tileVoxels();
        boolean fx = tile.flipsX();
        boolean fy = tile.flipsY();
        boolean fz = tile.flipsZ();
        float[] gauss = gaussian;
        IntStream.range(0, acc.length).parallel().forEach(c -> {
            float[] row = new float[px];
            float[] a = acc[c];
            int src = (int) (offset + (long) c * tileVoxels);
            for (int tz = 0; tz < pz; tz++) {
                int oz = fz ? pz - 1 - tz : tz; // where this output row belongs in the unflipped tile
                int ringZ = ((tile.z0() + oz) % pz) * plane;
                for (int ty = 0; ty < py; ty++) {
                    int oy = fy ? py - 1 - ty : ty;
                    logits.get(src + (tz * py + ty) * px, row, 0, px);
                    int g = (oz * py + oy) * px;
                    int dst = ringZ + (tile.y0() + oy) * bx + tile.x0();
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

    /**
     * Argmax of padded slice z into {@code out} (image grid) where z lies in the image: voxels whose
     * winning channel c maps to a non-zero {@code channelToLabel[c]} get that label, others are left
     * as they are. Then clears the slice's ring slice.
     */
    void finalizeSlice(int z, int[] channelToLabel, LabelVolume out) {
        int nx = grid.nx;
        int ny = grid.ny;
        int plane = grid.paddedPlane();
        int ringZ = (z % grid.pz) * plane;
        int zr = z - grid.lz;
        if (zr >= 0 && zr < grid.nz) {
            IntStream.range(0, ny).parallel().forEach(yr -> {
                int rowStart = ringZ + (yr + grid.ly) * grid.bx + grid.lx;
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
            Arrays.fill(a, ringZ, ringZ + plane, 0f);
        }
    }
}
