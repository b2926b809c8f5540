package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;

import java.util.stream.IntStream;

/**
 * nnU-Net's first preprocessing step ({@code crop_to_nonzero}): crop to the bounding box of the
 * voxels that are not exactly 0, predict inside it, and leave background outside. For a CT the box
 * is nearly always the whole image (air is -1000, not 0); it matters for scans padded with 0.
 * (nnU-Net fills holes in the mask first, which cannot change its bounding box.)
 */
record NonzeroCrop(int x0, int y0, int z0, int nx, int ny, int nz) {

    static NonzeroCrop of(CtVolume ct) {
        Geometry g = ct.geometry();
        int nx = g.nx();
        int ny = g.ny();
        short[] hu = ct.hu();
        // per slice: min x, max x, min y, max y of non-zero voxels (or -1 when none)
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
        int minX = Integer.MAX_VALUE, maxX = -1, minY = Integer.MAX_VALUE, maxY = -1, minZ = -1, maxZ = -1;
        for (int z = 0; z < perZ.length; z++) {
            if (perZ[z] != null) {
                minX = Math.min(minX, perZ[z][0]);
                maxX = Math.max(maxX, perZ[z][1]);
                minY = Math.min(minY, perZ[z][2]);
                maxY = Math.max(maxY, perZ[z][3]);
                minZ = minZ < 0 ? z : minZ;
                maxZ = z;
            }
        }
        if (maxZ < 0) { // all zero: nothing to crop to, keep the whole image
            return new NonzeroCrop(0, 0, 0, nx, ny, g.nz());
        }
        return new NonzeroCrop(minX, minY, minZ, maxX - minX + 1, maxY - minY + 1, maxZ - minZ + 1);
    }

    boolean isWhole(Geometry g) {
        return x0 == 0 && y0 == 0 && z0 == 0 && nx == g.nx() && ny == g.ny() && nz == g.nz();
    }

    CtVolume crop(CtVolume ct) {
        Geometry g = ct.geometry();
        double[] a = g.affine();
        for (int r = 0; r < 3; r++) {
            a[4 * r + 3] += a[4 * r] * x0 + a[4 * r + 1] * y0 + a[4 * r + 2] * z0;
        }
        Geometry cg = g.withAffine(nx, ny, nz, a, g.spacing());
        short[] src = ct.hu();
        short[] dst = new short[Math.toIntExact(cg.voxelCount())];
        IntStream.range(0, nz).parallel().forEach(z -> {
            for (int y = 0; y < ny; y++) {
                System.arraycopy(src, g.index(x0, y0 + y, z0 + z), dst, nx * (y + ny * z), nx);
            }
        });
        return new CtVolume(cg, dst);
    }

    /** The cropped labels placed in an all-background volume of the full grid. */
    LabelVolume embed(LabelVolume cropped, Geometry full) {
        LabelVolume out = LabelVolume.allocate(full, cropped.capacity());
        IntStream.range(0, nz).parallel().forEach(z -> {
            for (int y = 0; y < ny; y++) {
                int src = nx * (y + ny * z);
                int dst = full.index(x0, y0 + y, z0 + z);
                if (cropped.isUInt8()) {
                    System.arraycopy(cropped.uint8(), src, out.uint8(), dst, nx);
                } else {
                    System.arraycopy(cropped.uint16(), src, out.uint16(), dst, nx);
                }
            }
        });
        return out;
    }
}
