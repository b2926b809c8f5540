package io.ctcohort.engine.nifti;

import java.nio.ByteOrder;

/**
 * How NiftiWriter encodes an image. Defaults: NIfTI-1, gzip decided by the file name (".gz"),
 * the volume's natural datatype (int16 for CT, uint8/uint16 for labels), little-endian, no scaling,
 * both sform and qform set.
 *
 * @param version   1 or 2
 * @param gzip      compress; null = by file name (never for a bare OutputStream)
 * @param datatype  stored type; null = the volume's natural type
 * @param byteOrder byte order of header and data
 * @param slope     scl_slope: stored = (value - inter) / slope, rounded for integer types; NaN = none
 * @param inter     scl_inter (used only with a slope)
 * @param sform     write the affine as sform (sform_code 2, "aligned", as TotalSegmentator's files)
 * @param qform     write the affine as qform quaternion (qform_code 1, "scanner")
 * @param gzipLevel deflate level 1..9; default 1, as nibabel (fast; level 6 takes ~10x longer for
 *                  ~10% smaller files)
 */
public record NiftiWriteOptions(int version, Boolean gzip, NiftiDataType datatype, ByteOrder byteOrder,
                                double slope, double inter, boolean sform, boolean qform, int gzipLevel) {

    public NiftiWriteOptions {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("NIfTI version must be 1 or 2, got " + version);
        }
        if (slope == 0) {
            throw new IllegalArgumentException("scl_slope 0 means no scaling; use NaN");
        }
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzip level must be 1..9, got " + gzipLevel);
        }
    }

    public static NiftiWriteOptions defaults() {
        return new NiftiWriteOptions(1, null, null, ByteOrder.LITTLE_ENDIAN, Double.NaN, 0, true, true, 1);
    }

    public NiftiWriteOptions version(int v) {
        return new NiftiWriteOptions(v, gzip, datatype, byteOrder, slope, inter, sform, qform, gzipLevel);
    }

    public NiftiWriteOptions gzip(boolean g) {
        return new NiftiWriteOptions(version, g, datatype, byteOrder, slope, inter, sform, qform, gzipLevel);
    }

    public NiftiWriteOptions datatype(NiftiDataType t) {
        return new NiftiWriteOptions(version, gzip, t, byteOrder, slope, inter, sform, qform, gzipLevel);
    }

    public NiftiWriteOptions byteOrder(ByteOrder o) {
        return new NiftiWriteOptions(version, gzip, datatype, o, slope, inter, sform, qform, gzipLevel);
    }

    public NiftiWriteOptions scaling(double s, double i) {
        return new NiftiWriteOptions(version, gzip, datatype, byteOrder, s, i, sform, qform, gzipLevel);
    }

    /** Which of sform and qform to set (at least one, or readers fall back to pixdim). */
    public NiftiWriteOptions forms(boolean withSform, boolean withQform) {
        return new NiftiWriteOptions(version, gzip, datatype, byteOrder, slope, inter, withSform, withQform, gzipLevel);
    }

    public NiftiWriteOptions gzipLevel(int level) {
        return new NiftiWriteOptions(version, gzip, datatype, byteOrder, slope, inter, sform, qform, level);
    }

    boolean scaled() {
        return !Double.isNaN(slope);
    }
}
