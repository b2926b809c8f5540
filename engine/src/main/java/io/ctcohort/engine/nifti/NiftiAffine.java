package io.ctcohort.engine.nifti;

/**
 * Conversions between a NIfTI header's orientation fields and a 4x4 row-major voxel-to-world
 * affine: the qform quaternion both ways (formulas of nifti1_io.c, in double precision), the sform
 * rows, and the fallback when neither is set.
 */
final class NiftiAffine {
    private NiftiAffine() {
    }

    /** Highest xform code nibabel knows (NIFTI_XFORM_TEMPLATE_OTHER); a code above it counts as unset. */
    static final int MAX_XFORM_CODE = 5;

    /** Whether a qform or sform code says the form is set: 1..5; nibabel's fix-up sets others to 0. */
    static boolean isSet(int code) {
        return code >= 1 && code <= MAX_XFORM_CODE;
    }

    /** The affine NIfTI readers use: sform if its code is set, else qform if its code is set, else pixdim. */
    static double[] of(NiftiHeader h, long nx, long ny, long nz) {
        if (isSet(h.sformCode)) {
            double[] a = new double[16];
            System.arraycopy(h.srow, 0, a, 0, 12);
            a[15] = 1;
            return a;
        }
        if (isSet(h.qformCode)) {
            return fromQuaternion(h.quaternB, h.quaternC, h.quaternD, h.qoffsetX, h.qoffsetY, h.qoffsetZ,
                    h.pixdim[1], h.pixdim[2], h.pixdim[3], h.pixdim[0] < 0 ? -1 : 1);
        }
        return fromPixdim(nx, ny, nz, h.pixdim[1], h.pixdim[2], h.pixdim[3]);
    }

    /** Which header fields the affine of {@link #of} comes from, for messages. */
    static String source(NiftiHeader h) {
        return isSet(h.sformCode) ? "sform (sform_code " + h.sformCode + ")"
                : isSet(h.qformCode) ? "qform (qform_code " + h.qformCode + ")" : "pixdim";
    }

    /**
     * Why an affine cannot place voxels in the world, or null when it can: a value that is not
     * finite, or columns so nearly dependent that the unit-column determinant is below 1e-6 (a
     * zero sform, two axes along one direction). Reorientation and grid checks need its inverse.
     */
    static String degenerate(double[] a) {
        for (int i = 0; i < 12; i++) {
            if (!Double.isFinite(a[i])) {
                return "holds a value that is not finite";
            }
        }
        double[] len = new double[3];
        for (int c = 0; c < 3; c++) {
            len[c] = Math.sqrt(a[c] * a[c] + a[4 + c] * a[4 + c] + a[8 + c] * a[8 + c]);
        }
        double det = a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8])
                + a[2] * (a[4] * a[9] - a[5] * a[8]);
        double unit = det / (len[0] * len[1] * len[2]);
        return Math.abs(unit) > 1e-6 ? null : "is singular (its three axes do not span space)";
    }

    /**
     * No sform or qform: nibabel's choice (what TotalSegmentator sees), the Analyze convention of a
     * left-right flipped x axis with the grid centred on the origin. (nifti1.h's "method 1" would
     * give diag(pixdim); we follow nibabel so orientation-dependent results match TotalSegmentator.)
     */
    static double[] fromPixdim(long nx, long ny, long nz, double sx, double sy, double sz) {
        return new double[] {
            -sx, 0, 0, (nx - 1) / 2.0 * sx,
            0, sy, 0, -(ny - 1) / 2.0 * sy,
            0, 0, sz, -(nz - 1) / 2.0 * sz,
            0, 0, 0, 1};
    }

    /** nifti_quatern_to_mat44: rotation from (b, c, d), a = sqrt(1 - b^2 - c^2 - d^2), then spacing and qfac. */
    static double[] fromQuaternion(double b, double c, double d, double qx, double qy, double qz,
                                   double dx, double dy, double dz, double qfac) {
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1.e-7) {
            // a is zero up to float32 rounding of b, c, d (a 180 degree rotation): renormalize (b, c, d)
            a = 1.0 / Math.sqrt(b * b + c * c + d * d);
            b *= a;
            c *= a;
            d *= a;
            a = 0.0;
        } else {
            a = Math.sqrt(a);
        }
        double xd = dx > 0 ? dx : 1;
        double yd = dy > 0 ? dy : 1;
        double zd = (dz > 0 ? dz : 1) * (qfac < 0 ? -1 : 1);
        return new double[] {
            (a * a + b * b - c * c - d * d) * xd, 2 * (b * c - a * d) * yd, 2 * (b * d + a * c) * zd, qx,
            2 * (b * c + a * d) * xd, (a * a + c * c - b * b - d * d) * yd, 2 * (c * d - a * b) * zd, qy,
            2 * (b * d - a * c) * xd, 2 * (c * d + a * b) * yd, (a * a + d * d - c * c - b * b) * zd, qz,
            0, 0, 0, 1};
    }

    /**
     * nifti_mat44_to_quatern: the quaternion (b, c, d) and qfac of an affine's rotation. Columns are
     * normalized by their lengths; a negative determinant becomes qfac = -1 with the third column
     * negated. An affine with shear has no exact qform; the result is then the nearest the columns
     * allow, so readers should prefer the sform (which we write too by default).
     *
     * @return {b, c, d, qfac}
     */
    static double[] toQuaternion(double[] affine) {
        double r11 = affine[0], r12 = affine[1], r13 = affine[2];
        double r21 = affine[4], r22 = affine[5], r23 = affine[6];
        double r31 = affine[8], r32 = affine[9], r33 = affine[10];
        double xd = Math.sqrt(r11 * r11 + r21 * r21 + r31 * r31);
        double yd = Math.sqrt(r12 * r12 + r22 * r22 + r32 * r32);
        double zd = Math.sqrt(r13 * r13 + r23 * r23 + r33 * r33);
        if (xd == 0) { r11 = 1; r21 = 0; r31 = 0; xd = 1; }
        if (yd == 0) { r22 = 1; r12 = 0; r32 = 0; yd = 1; }
        if (zd == 0) { r33 = 1; r13 = 0; r23 = 0; zd = 1; }
        r11 /= xd; r21 /= xd; r31 /= xd;
        r12 /= yd; r22 /= yd; r32 /= yd;
        r13 /= zd; r23 /= zd; r33 /= zd;
        double det = r11 * r22 * r33 - r11 * r32 * r23 - r21 * r12 * r33
                + r21 * r32 * r13 + r31 * r12 * r23 - r31 * r22 * r13;
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            r13 = -r13; r23 = -r23; r33 = -r33;
        }
        double a = r11 + r22 + r33 + 1.0;
        double b, c, d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        } else {
            double xx = 1.0 + r11 - (r22 + r33);
            double yy = 1.0 + r22 - (r11 + r33);
            double zz = 1.0 + r33 - (r11 + r22);
            if (xx > 1.0) {
                b = 0.5 * Math.sqrt(xx);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            } else if (yy > 1.0) {
                c = 0.5 * Math.sqrt(yy);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            } else {
                d = 0.5 * Math.sqrt(zz);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }
            if (a < 0.0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d, qfac};
    }
}
