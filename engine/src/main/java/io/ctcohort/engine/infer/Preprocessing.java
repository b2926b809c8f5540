package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.VoxelView;
import io.ctcohort.engine.model.ModelCard;

import java.util.stream.IntStream;

/**
 * nnU-Net's CT preprocessing, in a memory-lean order: clip, resample, then z-score.
 *
 * <p>nnU-Net clips and z-scores at the original resolution, then resamples (skimage
 * {@code resize}, {@code mode='edge'}, no anti-aliasing). Z-scoring is affine, so it commutes with
 * linear interpolation; clipping does not, so we clip every source value as it is read and z-score
 * after resampling. The result equals nnU-Net's up to float rounding, and the only float32 volume
 * is the one at model resolution.
 *
 * <p>Coordinate convention (skimage resize = scipy zoom with {@code grid_mode=True}, i.e.
 * align_corners=False): output voxel o along an axis samples the input at
 * {@code (o + 0.5) * (n_in / n_out) - 0.5}, clamped to [0, n_in - 1] (edge mode).
 * Order 1 is trilinear; order 0 takes the nearest voxel, {@code floor(c + 0.5)}.
 */
public final class Preprocessing {
    private Preprocessing() {
    }

    /** nnU-Net's compute_new_shape: per axis {@code round_half_even(old_spacing / new_spacing * old_size)}. */
    public static int[] resampledShape(int[] dims, double[] spacing, double[] target) {
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) {
            out[a] = (int) Math.max(1, Math.rint(spacing[a] / target[a] * dims[a]));
        }
        return out;
    }

    /**
     * Clipped HU values of a canonical CT resampled to {@code outDims} (float32, x fastest). When the
     * shape is unchanged there is no interpolation (nnU-Net skips resampling then).
     */
    public static float[] clipAndResample(CtVolume ct, int[] outDims, int order, double clipLow, double clipHigh) {
        return clipAndResample(ct.hu(), VoxelView.of(ct.geometry()), outDims, order, clipLow, clipHigh);
    }

    /** As above, reading the canonical box {@code view} of a source array (no reoriented copy). */
    static float[] clipAndResample(short[] hu, VoxelView view, int[] outDims, int order,
                                   double clipLow, double clipHigh) {
        long n = (long) outDims[0] * outDims[1] * outDims[2];
        if (n > Integer.MAX_VALUE - 8) {
            throw new CtCohortException("image at model resolution would have " + n + " voxels ("
                    + outDims[0] + "x" + outDims[1] + "x" + outDims[2] + "), more than one array holds");
        }
        float lo = (float) clipLow;
        float hi = (float) clipHigh;
        int[] in = view.dims();
        float[] out = new float[(int) n];
        int ox = outDims[0];
        int oy = outDims[1];
        if (in[0] == outDims[0] && in[1] == outDims[1] && in[2] == outDims[2]) {
            IntStream.range(0, outDims[2]).parallel().forEach(z -> {
                for (int y = 0; y < oy; y++) {
                    int s = view.index(0, y, z);
                    int o = ox * (y + oy * z);
                    for (int x = 0; x < ox; x++, s += view.sx()) {
                        out[o + x] = clip(hu[s], lo, hi);
                    }
                }
            });
            return out;
        }
        Axis ax = new Axis(in[0], outDims[0], order);
        Axis ay = new Axis(in[1], outDims[1], order);
        Axis az = new Axis(in[2], outDims[2], order);
        int[] x0s = new int[ox];
        int[] x1s = new int[ox];
        for (int x = 0; x < ox; x++) {
            x0s[x] = ax.i0[x] * view.sx();
            x1s[x] = ax.i1[x] * view.sx();
        }
        IntStream.range(0, outDims[2]).parallel().forEach(z -> {
            double fz = az.f[z];
            for (int y = 0; y < oy; y++) {
                int r00 = view.index(0, ay.i0[y], az.i0[z]);
                int r01 = view.index(0, ay.i1[y], az.i0[z]);
                int r10 = view.index(0, ay.i0[y], az.i1[z]);
                int r11 = view.index(0, ay.i1[y], az.i1[z]);
                double fy = ay.f[y];
                int o = ox * (y + oy * z);
                for (int x = 0; x < ox; x++) {
                    int x0 = x0s[x];
                    int x1 = x1s[x];
                    double fx = ax.f[x];
                    double c00 = lerp(clip(hu[r00 + x0], lo, hi), clip(hu[r00 + x1], lo, hi), fx);
                    double c01 = lerp(clip(hu[r01 + x0], lo, hi), clip(hu[r01 + x1], lo, hi), fx);
                    double c10 = lerp(clip(hu[r10 + x0], lo, hi), clip(hu[r10 + x1], lo, hi), fx);
                    double c11 = lerp(clip(hu[r11 + x0], lo, hi), clip(hu[r11 + x1], lo, hi), fx);
                    out[o + x] = (float) lerp(lerp(c00, c01, fy), lerp(c10, c11, fy), fz);
                }
            }
        });
        return out;
    }

    /** nnU-Net CTNormalization's z-score, in float32 as numpy does: {@code (v - mean) / max(std, 1e-8)}. */
    public static void normalize(float[] v, ModelCard.Normalization n) {
        float mean = (float) n.mean();
        float std = (float) Math.max(n.std(), 1e-8);
        IntStream.range(0, (v.length + 65535) >>> 16).parallel().forEach(block -> {
            for (int i = block << 16, e = Math.min(v.length, i + 65536); i < e; i++) {
                v[i] = (v[i] - mean) / std;
            }
        });
    }

    /** Clip + z-score of one HU value, exactly as applied to every voxel when no resampling happens. */
    public static float normalizeValue(double hu, ModelCard.Normalization n) {
        float v = clip((float) hu, (float) n.clipLow(), (float) n.clipHigh());
        return (v - (float) n.mean()) / (float) Math.max(n.std(), 1e-8);
    }

    /** The HU clip to [lo, hi], in float32 as nnU-Net's numpy clip; the one place it is written. */
    private static float clip(float hu, float lo, float hi) {
        return Math.min(Math.max(hu, lo), hi);
    }

    private static double lerp(double a, double b, double f) {
        return f == 0 ? a : a + (b - a) * f;
    }

    /** Per output index along one axis: the two source indices and the weight of the second. */
    static final class Axis {
        final int[] i0;
        final int[] i1;
        final double[] f;

        Axis(int nIn, int nOut, int order) {
            i0 = new int[nOut];
            i1 = new int[nOut];
            f = new double[nOut];
            double scale = (double) nIn / nOut;
            for (int o = 0; o < nOut; o++) {
                double c = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), nIn - 1);
                if (order == 0) {
                    i0[o] = i1[o] = Math.min((int) Math.floor(c + 0.5), nIn - 1);
                } else {
                    int lo = (int) Math.floor(c);
                    i0[o] = lo;
                    i1[o] = Math.min(lo + 1, nIn - 1);
                    f[o] = c - lo;
                }
            }
        }
    }

    /**
     * For each voxel index along one axis of the original grid, the nearest voxel of the model grid:
     * the forward order-0 mapping of {@link Axis} run from the model grid to the original one.
     */
    public static int[] nearestBack(int nOrig, int nModel) {
        return new Axis(nModel, nOrig, 0).i0;
    }
}
