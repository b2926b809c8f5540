package io.ctcohort.engine.dicom;

import io.ctcohort.engine.image.Geometry;

/**
 * A grid's NIfTI affine (voxel -> RAS mm) as DICOM's per-slice geometry (patient LPS mm): voxel
 * (i, j, k) is column i, row j of slice k. ImageOrientationPatient holds the directions of the
 * affine's first two columns, PixelSpacing their lengths (row spacing first, i.e. along j), and
 * slice k lies at affine * (0, 0, k). DICOM has no shear, so the three columns must be orthogonal.
 *
 * @param rowDirection    unit vector along i (increasing column index), LPS
 * @param columnDirection unit vector along j (increasing row index), LPS
 * @param columnSpacing   mm between adjacent columns (length of the affine's column 0)
 * @param rowSpacing      mm between adjacent rows (length of column 1)
 * @param sliceSpacing    mm between adjacent slices (length of column 2)
 */
record SliceGeometry(double[] rowDirection, double[] columnDirection, double columnSpacing, double rowSpacing,
                     double sliceSpacing, double[] origin, double[] sliceStep) {
    /**
     * Largest |cos| of the angle between two affine columns still written. Float32 affines of
     * rotated grids are orthogonal to about 1e-7; anything beyond 1e-6 is a real shear (or gantry
     * tilt), which the slices' positions and orientation could not reproduce.
     */
    static final double ORTHOGONALITY_TOLERANCE = 1e-6;

    static SliceGeometry of(Geometry g) {
        double[][] col = new double[3][];
        double[] len = new double[3];
        for (int c = 0; c < 3; c++) {
            col[c] = lps(g.affine(0, c), g.affine(1, c), g.affine(2, c));
            len[c] = Math.sqrt(dot(col[c], col[c]));
            if (!(len[c] > 0) || !Double.isFinite(len[c])) {
                throw new IllegalArgumentException("affine column " + c + " has length " + len[c]
                        + ": not a voxel grid");
            }
        }
        if (g.affine(3, 0) != 0 || g.affine(3, 1) != 0 || g.affine(3, 2) != 0 || g.affine(3, 3) != 1) {
            throw new IllegalArgumentException("affine's last row is not (0, 0, 0, 1)");
        }
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                double cos = dot(col[a], col[b]) / (len[a] * len[b]);
                if (Math.abs(cos) > ORTHOGONALITY_TOLERANCE) {
                    throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                            "affine columns %d and %d are not orthogonal (cos %.3g, tolerance %.0e): a sheared or "
                                    + "tilted grid cannot be written as DICOM slices", a, b, cos,
                            ORTHOGONALITY_TOLERANCE));
                }
            }
        }
        double[] origin = lps(g.affine(0, 3), g.affine(1, 3), g.affine(2, 3));
        return new SliceGeometry(scale(col[0], 1 / len[0]), scale(col[1], 1 / len[1]), len[0], len[1], len[2],
                origin, col[2]);
    }

    /** ImagePositionPatient of slice k: the centre of voxel (0, 0, k), LPS mm. */
    double[] position(int k) {
        return new double[] {origin[0] + k * sliceStep[0], origin[1] + k * sliceStep[1], origin[2] + k * sliceStep[2]};
    }

    /** (0020,0037): row direction then column direction. */
    double[] orientation() {
        return new double[] {rowDirection[0], rowDirection[1], rowDirection[2],
            columnDirection[0], columnDirection[1], columnDirection[2]};
    }

    /** RAS -> LPS: DICOM's patient axes point left and posterior where NIfTI's point right and anterior. */
    private static double[] lps(double x, double y, double z) {
        return new double[] {-x, -y, z};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }
}
