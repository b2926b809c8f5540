package io.ctcohort.engine.infer;

import java.util.Arrays;

/**
 * Where nnU-Net's sliding window puts its tiles over one image (x fastest, dims nx*ny*nz): the patch,
 * the padded size, the padding below the image and the tile start positions per axis, all in padded
 * coordinates. nnU-Net pads to at least the patch size, centred (below = diff // 2, above = the rest);
 * here padding is virtual: a tile reads 0 (normalized) outside the image.
 *
 * <p>Geometry only, blind to voxels and to the network (nnU-Net's tile list apart from
 * {@code predict_sliding_window_return_logits}), so one value carries the numbers that the fill, the
 * logit ring and the argmax share.
 */
final class TileGrid {
    /** Image size. */
    final int nx, ny, nz;
    /** Patch (tile) size. */
    final int px, py, pz;
    /** Padded size: at least the patch per axis. */
    final int bx, by, bz;
    /** Padding below the image per axis: padded index = image index + l. */
    final int lx, ly, lz;
    /** Tile start positions per axis (padded coordinates). */
    final int[] xs, ys, zs;

    private TileGrid(int nx, int ny, int nz, int[] patch, double step) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        px = patch[0];
        py = patch[1];
        pz = patch[2];
        bx = Math.max(nx, px);
        by = Math.max(ny, py);
        bz = Math.max(nz, pz);
        lx = (bx - nx) / 2;
        ly = (by - ny) / 2;
        lz = (bz - nz) / 2;
        xs = SlidingWindow.positions(bx, px, step);
        ys = SlidingWindow.positions(by, py, step);
        zs = SlidingWindow.positions(bz, pz, step);
    }

    /** The tiles of an image of nx*ny*nz voxels for a patch {x, y, z} at nnU-Net's tile step. */
    static TileGrid of(int nx, int ny, int nz, int[] patch, double step) {
        return new TileGrid(nx, ny, nz, patch, step);
    }

    int tileVoxels() {
        return px * py * pz;
    }

    /** Voxels of one padded slice. */
    int paddedPlane() {
        return bx * by;
    }

    /**
     * Padded slices below this one are final once every tile of z-slab k has run: no later tile
     * starts below the next slab's start (or, after the last slab, the padded depth).
     */
    int finalBelow(int k) {
        return k + 1 < zs.length ? zs[k + 1] : bz;
    }

    /** Copies the tile starting at padded (x0, y0, z0) out of {@code image} into {@code tile}, 0 outside the image. */
    void fill(float[] image, int x0, int y0, int z0, float[] tile) {
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
}
