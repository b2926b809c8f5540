package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.image.VoxelView;
import io.ctcohort.engine.model.ModelCard;

import java.util.stream.IntStream;

/**
 * Brings the label map computed at model resolution back to the CT's own grid (the canonical box
 * of the CT), with the same cell-centred (align_corners=False) mapping as the forward resampling.
 *
 * <ul>
 *   <li>{@link ModelCard.LabelResampling#NEAREST}: each original voxel takes the label of its nearest
 *       model voxel, as TotalSegmentator does (order 0).</li>
 *   <li>{@link ModelCard.LabelResampling#LINEAR}: each label's one-hot map is interpolated
 *       trilinearly and the label with the largest weight wins (ties: the lowest label). Boundaries
 *       then fall between model voxel centres instead of on the faces of model-sized cubes. At a
 *       coarse model spacing (the 3 mm demo model on 1.2-2.4 mm CTs) nearest neighbour makes every
 *       boundary a staircase of 3 mm steps, which mixes surrounding tissue into thin-walled bones
 *       and flattens their measured HU. nnU-Net interpolates the logits instead; that would keep C
 *       floats per model voxel, while one-hot weights need only the label map.</li>
 * </ul>
 */
final class LabelRestore {
    private LabelRestore() {
    }

    static void restore(ModelCard.LabelResampling mode, LabelVolume modelLabels, VoxelView box, LabelVolume out) {
        if (mode == ModelCard.LabelResampling.LINEAR) {
            linear(modelLabels, box, out);
        } else {
            nearest(modelLabels, box, out);
        }
    }

    static void nearest(LabelVolume modelLabels, VoxelView box, LabelVolume out) {
        Geometry mg = modelLabels.geometry();
        int nx = box.nx();
        int ny = box.ny();
        int[] mx = Preprocessing.nearestBack(nx, mg.nx());
        int[] my = Preprocessing.nearestBack(ny, mg.ny());
        int[] mz = Preprocessing.nearestBack(box.nz(), mg.nz());
        byte[] src8 = modelLabels.uint8();
        byte[] dst8 = out.uint8();
        int sx = box.sx();
        IntStream.range(0, box.nz()).parallel().forEach(z -> {
            for (int y = 0; y < ny; y++) {
                int srcRow = mg.nx() * (my[y] + mg.ny() * mz[z]);
                int d = box.index(0, y, z);
                if (src8 != null && dst8 != null) {
                    for (int x = 0; x < nx; x++, d += sx) {
                        dst8[d] = src8[srcRow + mx[x]];
                    }
                } else {
                    for (int x = 0; x < nx; x++, d += sx) {
                        out.set(d, modelLabels.get(srcRow + mx[x]));
                    }
                }
            }
        });
    }

    static void linear(LabelVolume modelLabels, VoxelView box, LabelVolume out) {
        Geometry mg = modelLabels.geometry();
        int mnx = mg.nx();
        int mplane = mnx * mg.ny();
        // The forward resampling's axis mapping, run from the model grid to the original one.
        Preprocessing.Axis ax = new Preprocessing.Axis(mnx, box.nx(), 1);
        Preprocessing.Axis ay = new Preprocessing.Axis(mg.ny(), box.ny(), 1);
        Preprocessing.Axis az = new Preprocessing.Axis(mg.nz(), box.nz(), 1);
        int sx = box.sx();
        IntStream.range(0, box.nz()).parallel().forEach(z -> {
            int[] labels = new int[8];
            double[] weights = new double[8];
            int z0 = az.i0[z] * mplane;
            int z1 = az.i1[z] * mplane;
            double fz = az.f[z];
            for (int y = 0; y < box.ny(); y++) {
                int y0 = ay.i0[y] * mnx;
                int y1 = ay.i1[y] * mnx;
                double fy = ay.f[y];
                int d = box.index(0, y, z);
                for (int x = 0; x < box.nx(); x++, d += sx) {
                    int x0 = ax.i0[x];
                    int x1 = ax.i1[x];
                    double fx = ax.f[x];
                    labels[0] = modelLabels.get(z0 + y0 + x0);
                    labels[1] = modelLabels.get(z0 + y0 + x1);
                    labels[2] = modelLabels.get(z0 + y1 + x0);
                    labels[3] = modelLabels.get(z0 + y1 + x1);
                    labels[4] = modelLabels.get(z1 + y0 + x0);
                    labels[5] = modelLabels.get(z1 + y0 + x1);
                    labels[6] = modelLabels.get(z1 + y1 + x0);
                    labels[7] = modelLabels.get(z1 + y1 + x1);
                    out.set(d, uniform(labels) ? labels[0] : heaviest(labels, weights, fx, fy, fz));
                }
            }
        });
    }

    private static boolean uniform(int[] labels) {
        for (int i = 1; i < 8; i++) {
            if (labels[i] != labels[0]) {
                return false;
            }
        }
        return true;
    }

    /** The label whose corners carry the largest trilinear weight; ties go to the lowest label. */
    private static int heaviest(int[] labels, double[] weights, double fx, double fy, double fz) {
        for (int i = 0; i < 8; i++) {
            weights[i] = ((i & 1) != 0 ? fx : 1 - fx) * ((i & 2) != 0 ? fy : 1 - fy) * ((i & 4) != 0 ? fz : 1 - fz);
        }
        int best = -1;
        double bestWeight = -1;
        for (int i = 0; i < 8; i++) {
            double w = 0;
            for (int j = 0; j < 8; j++) {
                if (labels[j] == labels[i]) {
                    w += weights[j];
                }
            }
            if (w > bestWeight || (w == bestWeight && labels[i] < best)) {
                best = labels[i];
                bestWeight = w;
            }
        }
        return best;
    }
}
