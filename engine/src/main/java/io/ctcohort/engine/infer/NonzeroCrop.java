package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.Reorientation;
import io.ctcohort.engine.image.VoxelView;

import java.util.stream.IntStream;

/**
 * nnU-Net's first preprocessing step ({@code crop_to_nonzero}): crop to the bounding box of the
 * voxels that are not exactly 0, predict inside it, and leave background outside. For a CT the box
 * is nearly always the whole image (air is -1000, not 0); it matters for scans padded with 0.
 * (nnU-Net fills holes in the mask first, which cannot change its bounding box.)
 *
 * <p>The box is found on the source array in its own order (contiguous reads) and then expressed
 * in canonical coordinates.
 */
final class NonzeroCrop {
    private NonzeroCrop() {
    }

    /** The canonical view of the CT cropped to its non-zero box (the whole image when all voxels are 0). */
    static VoxelView of(CtVolume ct, Reorientation ro) {
        Geometry g = ct.geometry();
        int nx = g.nx();
        int ny = g.ny();
        short[] hu = ct.hu();
        // per source slice: min x, max x, min y, max y of non-zero voxels, or null when none
        int[][] perZ = new int[g.nz()][];
        IntStream.range(0, g.nz()).parallel().forEach(z -> {
            int minX = Integer.MAX_VALUE, maxX = -1, minY = Integer.MAX_VALUE, maxY = -1;
            for (int y = 0; y < ny; y++) {
                int row = nx * (y + ny * z);
                int first = -1;
                int last = -1;
                for (int x = 0; x < nx; x++) {
                    if (hu[row + x] != 0) {
                        if (first < 0) {
                            first = x;
                        }
                        last = x;
                    }
                }
                if (first >= 0) {
                    minX = Math.min(minX, first);
                    maxX = Math.max(maxX, last);
                    minY = Math.min(minY, y);
                    maxY = y;
                }
            }
            perZ[z] = maxX < 0 ? null : new int[] {minX, maxX, minY, maxY};
        });
        int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1};
        int[] max = {-1, -1, -1};
        for (int z = 0; z < perZ.length; z++) {
            if (perZ[z] != null) {
                min[0] = Math.min(min[0], perZ[z][0]);
                max[0] = Math.max(max[0], perZ[z][1]);
                min[1] = Math.min(min[1], perZ[z][2]);
                max[1] = Math.max(max[1], perZ[z][3]);
                min[2] = min[2] < 0 ? z : min[2];
                max[2] = z;
            }
        }
        VoxelView whole = ro.canonicalView();
        if (max[2] < 0) {
            return whole;
        }
        int[] n = g.dims();
        int[] from = new int[3];
        int[] size = new int[3];
        for (int b = 0; b < 3; b++) {
            int a = ro.sourceAxis(b);
            from[b] = ro.isFlipped(b) ? n[a] - 1 - max[a] : min[a];
            size[b] = max[a] - min[a] + 1;
        }
        return whole.crop(from[0], from[1], from[2], size[0], size[1], size[2]);
    }
}
