package io.ctcohort.engine.image;

import io.ctcohort.core.CtCohortException;

/**
 * Reorientation of a voxel grid to the closest canonical (RAS+) orientation and back, as nibabel's
 * {@code as_closest_canonical}: the voxel axes are permuted and flipped, voxels are moved, never
 * interpolated, and the affine is updated so every voxel keeps its world position exactly.
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
        this.canonical = identity ? source : canonicalGeometry();
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

    private Geometry canonicalGeometry() {
        int[] n = source.dims();
        double[] sp = source.spacing();
        double[] a = source.affine();
        double[] out = new double[16];
        int[] dims = new int[3];
        double[] spacing = new double[3];
        for (int row = 0; row < 4; row++) {
            double t = a[4 * row + 3];
            for (int b = 0; b < 3; b++) {
                int s = sourceAxis[b];
                out[4 * row + b] = flipped[b] ? -a[4 * row + s] : a[4 * row + s];
                if (flipped[b]) {
                    t += a[4 * row + s] * (n[s] - 1);
                }
            }
            out[4 * row + 3] = t;
        }
        for (int b = 0; b < 3; b++) {
            dims[b] = n[sourceAxis[b]];
            spacing[b] = sp[sourceAxis[b]];
        }
        return source.withAffine(dims[0], dims[1], dims[2], out, spacing);
    }

    public Geometry source() {
        return source;
    }

    public Geometry canonical() {
        return canonical;
    }

    /** True when the grid already is canonical: apply and revert return their argument. */
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
     * The source array index of canonical voxel (0, 0, 0); canonical voxel (x, y, z) lies at
     * {@code canonicalOrigin() + x * canonicalStride(0) + y * canonicalStride(1) + z * canonicalStride(2)}.
     * Lets callers read the source array as a canonical view without moving voxels.
     */
    public int canonicalOrigin() {
        return new Walk().base;
    }

    /** Signed step in the source array per voxel along canonical axis b. */
    public int canonicalStride(int b) {
        Walk w = new Walk();
        return b == 0 ? w.st0 : b == 1 ? w.st1 : w.st2;
    }

    // ---- voxel moves. One loop: walk the canonical grid in memory order and track the matching
    // source index with per-axis strides (negative for flipped axes).

    public CtVolume apply(CtVolume ct) {
        check(ct.geometry(), source);
        return identity ? ct : new CtVolume(canonical, (short[]) move(ct.hu(), false));
    }

    public CtVolume revert(CtVolume ct) {
        check(ct.geometry(), canonical);
        return identity ? ct : new CtVolume(source, (short[]) move(ct.hu(), true));
    }

    public LabelVolume apply(LabelVolume labels) {
        check(labels.geometry(), source);
        return identity ? labels : moveLabels(labels, canonical, false);
    }

    public LabelVolume revert(LabelVolume labels) {
        check(labels.geometry(), canonical);
        return identity ? labels : moveLabels(labels, source, true);
    }

    private LabelVolume moveLabels(LabelVolume in, Geometry outGeometry, boolean back) {
        return in.isUInt8() ? LabelVolume.ofUInt8(outGeometry, (byte[]) move(in.uint8(), back))
                : LabelVolume.ofUInt16(outGeometry, (short[]) move(in.uint16(), back));
    }

    /** Values laid out on the source grid, moved to the canonical grid (a new array unless identity). */
    public float[] apply(float[] values) {
        return moveFloats(values, false);
    }

    /** Values laid out on the canonical grid, moved back to the source grid. */
    public float[] revert(float[] values) {
        return moveFloats(values, true);
    }

    private float[] moveFloats(float[] src, boolean back) {
        if (src.length != source.voxelCount()) {
            throw new IllegalArgumentException("buffer has " + src.length + " values, grid " + source);
        }
        return identity ? src : (float[]) move(src, back);
    }

    /**
     * A new array (short[], byte[] or float[], like {@code src}) with the voxels moved from the source
     * grid to the canonical one, or back. The type is dispatched once per row, not per voxel.
     */
    private Object move(Object src, boolean back) {
        Walk w = new Walk();
        Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(),
                java.lang.reflect.Array.getLength(src));
        for (int z = 0; z < w.n2; z++) {
            for (int y = 0; y < w.n1; y++) {
                int s = w.rowStart(y, z);
                int d = w.n0 * (y + w.n1 * z);
                if (back) {
                    copyRow(src, d, 1, dst, s, w.st0, w.n0);
                } else {
                    copyRow(src, s, w.st0, dst, d, 1, w.n0);
                }
            }
        }
        return dst;
    }

    /** n elements from src (start from, step fromStep) to dst (start to, step toStep). */
    private static void copyRow(Object src, int from, int fromStep, Object dst, int to, int toStep, int n) {
        if (src instanceof short[] a) {
            short[] b = (short[]) dst;
            for (int i = 0; i < n; i++, from += fromStep, to += toStep) {
                b[to] = a[from];
            }
        } else if (src instanceof byte[] a) {
            byte[] b = (byte[]) dst;
            for (int i = 0; i < n; i++, from += fromStep, to += toStep) {
                b[to] = a[from];
            }
        } else {
            float[] a = (float[]) src;
            float[] b = (float[]) dst;
            for (int i = 0; i < n; i++, from += fromStep, to += toStep) {
                b[to] = a[from];
            }
        }
    }

    private static void check(Geometry actual, Geometry expected) {
        if (!actual.sameDims(expected)) {
            throw new IllegalArgumentException("volume grid " + actual + " is not the reorientation's grid " + expected);
        }
    }

    /** Canonical dims and, per canonical axis, the signed source stride; plus the source index of voxel 0. */
    private final class Walk {
        final int n0 = canonical.nx();
        final int n1 = canonical.ny();
        final int n2 = canonical.nz();
        final int st0;
        final int st1;
        final int st2;
        final int base;

        Walk() {
            int[] n = source.dims();
            int[] stride = {1, n[0], n[0] * n[1]};
            int[] st = new int[3];
            int b0 = 0;
            for (int b = 0; b < 3; b++) {
                int s = sourceAxis[b];
                st[b] = flipped[b] ? -stride[s] : stride[s];
                if (flipped[b]) {
                    b0 += (n[s] - 1) * stride[s];
                }
            }
            st0 = st[0];
            st1 = st[1];
            st2 = st[2];
            base = b0;
        }

        int rowStart(int y, int z) {
            return base + y * st1 + z * st2;
        }
    }
}
