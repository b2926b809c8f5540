package io.ctcohort.engine.image;

/**
 * Whether a label map lies on its CT's grid: same shape, and spacing, origin and direction equal
 * within tolerances. The tolerances absorb decimal-string and float32 round trips (a CT read from
 * DICOM and its mask written as NIfTI float32 differ by about 1e-5 mm) and nothing a scanner or a
 * resampler would produce: a grid shifted by a hundredth of a voxel is refused.
 */
public final class GridMatch {
    /** Largest distance between the two grids' first voxel centres, in mm. */
    public static final double ORIGIN_TOLERANCE_MM = 1e-3;
    /** Largest relative difference of a voxel size, stated (pixdim) or measured along an affine column. */
    public static final double SPACING_RELATIVE_TOLERANCE = 1e-4;
    /** Largest difference of any direction cosine (unit affine columns). */
    public static final double DIRECTION_TOLERANCE = 1e-4;

    private GridMatch() {
    }

    /** Refuses a label map whose grid is not its CT's, naming both. */
    public static void require(String ctName, Geometry ct, String maskName, Geometry mask) {
        String d = difference(ct, mask);
        if (d != null) {
            throw new GridMismatchException(maskName, "label map does not lie on the grid of the CT " + ctName
                    + ": " + d);
        }
    }

    /** What differs between grid {@code a} and grid {@code b}, or null when they match. */
    public static String difference(Geometry a, Geometry b) {
        if (!a.sameDims(b)) {
            return "shape " + dims(b) + " vs the CT's " + dims(a);
        }
        double[] sa = a.spacing();
        double[] sb = b.spacing();
        for (int i = 0; i < 3; i++) {
            double ca = columnLength(a, i);
            double cb = columnLength(b, i);
            if (relative(sa[i], sb[i]) > SPACING_RELATIVE_TOLERANCE || relative(ca, cb) > SPACING_RELATIVE_TOLERANCE) {
                return String.format("spacing along axis %d is %s mm (affine %s) vs the CT's %s mm (affine %s);"
                        + " tolerance %s relative", i, sb[i], cb, sa[i], ca, SPACING_RELATIVE_TOLERANCE);
            }
        }
        double origin = 0;
        for (int r = 0; r < 3; r++) {
            double d = a.affine(r, 3) - b.affine(r, 3);
            origin += d * d;
        }
        origin = Math.sqrt(origin);
        if (!(origin <= ORIGIN_TOLERANCE_MM)) {
            return String.format("origin %s vs the CT's %s, %.6g mm apart; tolerance %s mm",
                    origin(b), origin(a), origin, ORIGIN_TOLERANCE_MM);
        }
        for (int c = 0; c < 3; c++) {
            double la = columnLength(a, c);
            double lb = columnLength(b, c);
            for (int r = 0; r < 3; r++) {
                double d = Math.abs(a.affine(r, c) / la - b.affine(r, c) / lb);
                if (!(d <= DIRECTION_TOLERANCE)) {
                    return String.format("direction of axis %d is %s vs the CT's %s; tolerance %s per cosine",
                            c, direction(b, c), direction(a, c), DIRECTION_TOLERANCE);
                }
            }
        }
        return null;
    }

    private static double columnLength(Geometry g, int c) {
        double s = 0;
        for (int r = 0; r < 3; r++) {
            s += g.affine(r, c) * g.affine(r, c);
        }
        return Math.sqrt(s);
    }

    /** NaN compares as a difference (the negated comparisons above and here refuse it). */
    private static double relative(double x, double y) {
        double d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
        return x == y ? 0 : Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    private static String dims(Geometry g) {
        return g.nx() + "x" + g.ny() + "x" + g.nz();
    }

    private static String origin(Geometry g) {
        return String.format("(%.4f, %.4f, %.4f)", g.affine(0, 3), g.affine(1, 3), g.affine(2, 3));
    }

    private static String direction(Geometry g, int c) {
        double l = columnLength(g, c);
        return String.format("(%.5f, %.5f, %.5f)", g.affine(0, c) / l, g.affine(1, c) / l, g.affine(2, c) / l);
    }
}
