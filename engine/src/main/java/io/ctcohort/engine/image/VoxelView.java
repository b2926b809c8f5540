package io.ctcohort.engine.image;

/**
 * A box of a voxel array read along permuted, possibly reversed axes: voxel (x, y, z) of the view
 * is source element {@code origin + x * sx + y * sy + z * sz}. Reorientation, the phantoms'
 * acquisition orientations and cropping are index arithmetic on one such view instead of copies of
 * a 500 MB CT (ImgLib2's Views.permute / invertAxis / interval folded into one transform).
 */
public record VoxelView(int origin, int sx, int sy, int sz, int nx, int ny, int nz) {

    /** The grid as stored: x fastest. */
    public static VoxelView of(Geometry g) {
        return new VoxelView(0, 1, g.nx(), g.nx() * g.ny(), g.nx(), g.ny(), g.nz());
    }

    /**
     * A source array of {@code sourceDims} read with view axis b along source axis {@code axis[b]},
     * backwards when {@code flipped[b]} (the voxel moves of {@link Geometry#reoriented}).
     */
    public static VoxelView oriented(int[] sourceDims, int[] axis, boolean[] flipped) {
        int[] stride = {1, sourceDims[0], sourceDims[0] * sourceDims[1]};
        int[] st = new int[3];
        int[] n = new int[3];
        int origin = 0;
        for (int b = 0; b < 3; b++) {
            int s = axis[b];
            n[b] = sourceDims[s];
            st[b] = flipped[b] ? -stride[s] : stride[s];
            if (flipped[b]) {
                origin += (sourceDims[s] - 1) * stride[s];
            }
        }
        return new VoxelView(origin, st[0], st[1], st[2], n[0], n[1], n[2]);
    }

    /** The sub-box starting at view voxel (x0, y0, z0) with the given size. */
    public VoxelView crop(int x0, int y0, int z0, int cx, int cy, int cz) {
        return new VoxelView(index(x0, y0, z0), sx, sy, sz, cx, cy, cz);
    }

    /** The source index of view voxel (x, y, z). */
    public int index(int x, int y, int z) {
        return origin + x * sx + y * sy + z * sz;
    }

    public int[] dims() {
        return new int[] {nx, ny, nz};
    }

    /** The viewed voxels of {@code src} as a new array in view order (x fastest). */
    public short[] copy(short[] src) {
        short[] dst = new short[voxels()];
        forEachVoxel((from, to) -> dst[to] = src[from]);
        return dst;
    }

    /** As {@link #copy(short[])}, for a uint8 label map. */
    public byte[] copy(byte[] src) {
        byte[] dst = new byte[voxels()];
        forEachVoxel((from, to) -> dst[to] = src[from]);
        return dst;
    }

    private int voxels() {
        return Math.toIntExact((long) nx * ny * nz);
    }

    /** Visits every view voxel in view order: its source index and its index in view order. */
    private void forEachVoxel(IntBinaryConsumer move) {
        int to = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0, from = index(0, y, z); x < nx; x++, from += sx) {
                    move.accept(from, to++);
                }
            }
        }
    }

    private interface IntBinaryConsumer {
        void accept(int from, int to);
    }
}
