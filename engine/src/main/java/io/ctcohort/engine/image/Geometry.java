package io.ctcohort.engine.image;

import java.util.Arrays;

/**
 * Where a voxel grid lies in the world: its size and the NIfTI affine (voxel index -> RAS+ mm).
 * Kept apart from voxel storage (ImgLib2's rule) so that reorientation, resampling and
 * statistics can reason about geometry without touching voxels.
 *
 * <p>Voxels are addressed as {@code x + nx * (y + ny * z)}: x varies fastest, as in NIfTI files.
 */
public final class Geometry {
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] affine;
    private final double[] spacing;

    /**
     * @param affine  4x4 row-major voxel-to-world matrix (16 values)
     * @param spacing voxel size per axis in mm, as the header states it (NIfTI pixdim[1..3])
     */
    public Geometry(int nx, int ny, int nz, double[] affine, double[] spacing) {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + nx + "x" + ny + "x" + nz);
        }
        if (affine.length != 16 || spacing.length != 3) {
            throw new IllegalArgumentException("affine needs 16 values and spacing 3");
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.affine = affine.clone();
        this.spacing = spacing.clone();
    }

    /** A grid with the given spacing, axis-aligned with RAS+ and its first voxel at the origin. */
    public static Geometry axisAligned(int nx, int ny, int nz, double sx, double sy, double sz) {
        double[] a = {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1};
        return new Geometry(nx, ny, nz, a, new double[] {sx, sy, sz});
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int[] dims() {
        return new int[] {nx, ny, nz};
    }

    public long voxelCount() {
        return (long) nx * ny * nz;
    }

    /** Linear index of voxel (x, y, z). */
    public int index(int x, int y, int z) {
        return x + nx * (y + ny * z);
    }

    /** A copy of the 4x4 row-major affine. */
    public double[] affine() {
        return affine.clone();
    }

    /** Affine element at row r, column c. */
    public double affine(int r, int c) {
        return affine[4 * r + c];
    }

    /** A copy of the voxel spacing (mm) per axis. */
    public double[] spacing() {
        return spacing.clone();
    }

    /**
     * Voxel volume in mm3 computed the way TotalSegmentator (nibabel + numpy) does: the product
     * of the three float32 zooms, in float32. Keeping this exact makes our volumes equal to its
     * statistics.json to the last digit.
     */
    public double voxelVolumeMm3() {
        float v = (float) spacing[0] * (float) spacing[1] * (float) spacing[2];
        return v;
    }

    /** A grid of the given size with another affine and spacing. */
    public Geometry withAffine(int nx, int ny, int nz, double[] affine, double[] spacing) {
        return new Geometry(nx, ny, nz, affine, spacing);
    }

    /**
     * The same voxels with permuted, possibly reversed axes: new axis b runs along this grid's axis
     * {@code axis[b]}, backwards when {@code flipped[b]}. Every voxel keeps its world position: the
     * affine's columns are permuted (negated where flipped) and the origin moves to the far end of each
     * flipped axis. {@link VoxelView#oriented} moves the voxels to match.
     */
    public Geometry reoriented(int[] axis, boolean[] flipped) {
        double[] out = new double[16];
        out[15] = 1;
        int[] dims = new int[3];
        double[] sp = new double[3];
        for (int row = 0; row < 3; row++) {
            out[4 * row + 3] = affine[4 * row + 3];
        }
        int[] n = dims();
        for (int b = 0; b < 3; b++) {
            int s = axis[b];
            dims[b] = n[s];
            sp[b] = spacing[s];
            for (int row = 0; row < 3; row++) {
                double column = affine[4 * row + s];
                out[4 * row + b] = flipped[b] ? -column : column;
                if (flipped[b]) {
                    out[4 * row + 3] += column * (n[s] - 1);
                }
            }
        }
        return new Geometry(dims[0], dims[1], dims[2], out, sp);
    }

    /** Same shape only; {@link GridMatch} says whether two grids lie at the same place in the world. */
    public boolean sameDims(Geometry o) {
        return nx == o.nx && ny == o.ny && nz == o.nz;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && sameDims(g) && Arrays.equals(affine, g.affine)
                && Arrays.equals(spacing, g.spacing);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(affine) * 31 + nx * 7 + ny * 3 + nz;
    }

    @Override
    public String toString() {
        return nx + "x" + ny + "x" + nz + " @ " + spacing[0] + "x" + spacing[1] + "x" + spacing[2] + " mm";
    }
}
