package io.ctcohort.engine.image;

import io.ctcohort.core.CtCohortException;

/**
 * Reorientation of a voxel grid to the closest canonical (RAS+) orientation, as nibabel's
 * {@code as_closest_canonical}: the voxel axes are permuted and flipped (voxels are never
 * interpolated) and the affine is updated so every voxel keeps its world position exactly. Voxels
 * are read through {@link #canonicalView()}; only file writers copy them ({@link #apply}).
 *
 * <p>The axis assignment follows nibabel's {@code io_orientation}: take the affine's 3x3 part with
 * unit columns, replace it by the closest orthogonal matrix (polar decomposition), then for input
 * axes 0, 1, 2 in turn pick the world axis with the largest absolute component, removing each
 * chosen world axis from later choices.
 */
public final class Reorientation {
    private final Geometry source;
    private final Geometry canonical;
    /** For canonical axis b: the source axis it comes from. */
    private final int[] sourceAxis;
    /** For canonical axis b: whether the source axis runs backwards. */
    private final boolean[] flipped;
    private final boolean identity;

    private Reorientation(Geometry source, int[] sourceAxis, boolean[] flipped) {
        this.source = source;
        this.sourceAxis = sourceAxis;
        this.flipped = flipped;
        this.identity = sourceAxis[0] == 0 && sourceAxis[1] == 1 && sourceAxis[2] == 2
                && !flipped[0] && !flipped[1] && !flipped[2];
        this.canonical = identity ? source : source.reoriented(sourceAxis, flipped);
    }

    /** The reorientation that takes a grid to its closest canonical RAS+ orientation. */
    public static Reorientation toCanonical(Geometry g) {
        int[] ornt = closestAxes(g);
        int[] sourceAxis = new int[3];
        boolean[] flipped = new boolean[3];
        for (int a = 0; a < 3; a++) {
            int world = Math.abs(ornt[a]) - 1;
            sourceAxis[world] = a;
            flipped[world] = ornt[a] < 0;
        }
        return new Reorientation(g, sourceAxis, flipped);
    }

    /**
     * nibabel io_orientation: per voxel axis a, (world axis + 1) with the sign of its direction.
     */
    static int[] closestAxes(Geometry g) {
        double[][] r = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double norm = 0;
            for (int row = 0; row < 3; row++) {
                norm += g.affine(row, c) * g.affine(row, c);
            }
            norm = norm == 0 ? 1 : Math.sqrt(norm);
            for (int row = 0; row < 3; row++) {
                r[row][c] = g.affine(row, c) / norm;
            }
        }
        r = closestOrthogonal(r, g);
        int[] ornt = new int[3];
        for (int in = 0; in < 3; in++) {
            int out = 0;
            for (int row = 1; row < 3; row++) {
                if (Math.abs(r[row][in]) > Math.abs(r[out][in])) {
                    out = row;
                }
            }
            if (r[out][in] == 0) {
                throw new CtCohortException("affine of " + g + " has no direction for voxel axis " + in);
            }
            ornt[in] = r[out][in] < 0 ? -(out + 1) : out + 1;
            for (int c = 0; c < 3; c++) {
                r[out][c] = 0;
            }
        }
        return ornt;
    }

    /**
     * The orthogonal factor of the polar decomposition by Newton's iteration X <- (X + X^-T) / 2,
     * which converges quadratically for a non-singular matrix. (nibabel uses an SVD; the result is
     * the same matrix, and a 3x3 needs no linear-algebra library.)
     */
    private static double[][] closestOrthogonal(double[][] m, Geometry g) {
        double[][] x = m;
        for (int it = 0; it < 100; it++) {
            double[][] inv = inverse(x, g);
            double[][] next = new double[3][3];
            double change = 0;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    next[i][j] = 0.5 * (x[i][j] + inv[j][i]);
                    change = Math.max(change, Math.abs(next[i][j] - x[i][j]));
                }
            }
            x = next;
            if (change < 1e-15) {
                break;
            }
        }
        return x;
    }

    private static double[][] inverse(double[][] a, Geometry g) {
        double c00 = a[1][1] * a[2][2] - a[1][2] * a[2][1];
        double c01 = a[1][2] * a[2][0] - a[1][0] * a[2][2];
        double c02 = a[1][0] * a[2][1] - a[1][1] * a[2][0];
        double det = a[0][0] * c00 + a[0][1] * c01 + a[0][2] * c02;
        if (!(Math.abs(det) > 1e-12)) {
            throw new CtCohortException("affine of " + g + " is singular or not finite; cannot orient it");
        }
        return new double[][] {
                {c00 / det, (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det, (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det},
                {c01 / det, (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det, (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det},
                {c02 / det, (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det, (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det}};
    }

    public Geometry source() {
        return source;
    }

    public Geometry canonical() {
        return canonical;
    }

    /** True when the grid already is canonical: apply returns its argument. */
    public boolean isIdentity() {
        return identity;
    }

    /** For canonical axis b (0 = x), the source voxel axis it comes from. */
    public int sourceAxis(int b) {
        return sourceAxis[b];
    }

    public boolean isFlipped(int b) {
        return flipped[b];
    }

    /**
     * The canonical grid as a view of the source array: canonical voxel (x, y, z) is source element
     * {@code canonicalView().index(x, y, z)}, so callers read (and write) the source array in canonical
     * order without moving voxels.
     */
    public VoxelView canonicalView() {
        return VoxelView.oriented(source.dims(), sourceAxis, flipped);
    }

    /**
     * A copy of the CT on the canonical grid, for writers that need canonical storage (DICOM's axial
     * slices); segmentation reads through {@link #canonicalView()} instead.
     */
    public CtVolume apply(CtVolume ct) {
        if (!ct.geometry().sameDims(source)) {
            throw new IllegalArgumentException("volume grid " + ct.geometry() + " is not the reorientation's grid " + source);
        }
        return identity ? ct : new CtVolume(canonical, canonicalView().copy(ct.hu()));
    }
}
