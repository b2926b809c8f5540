package io.ctcohort.engine.nifti;

import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;

/**
 * An image as read from a NIfTI file: its header, geometry and voxels in the file's own type
 * (see NiftiReader for the storage). {@link #toCt()} and {@link #toLabels()} turn it into the
 * engine's two voxel types, applying scl_slope/scl_inter as nibabel's get_fdata() does.
 */
public final class NiftiImage {
    private static final int CHUNK = 4096;

    private final String name;
    private final NiftiHeader header;
    private final NiftiDataType datatype;
    private final Geometry geometry;
    private final Object data;
    private final double slope;
    private final double inter;
    private final boolean scaled;

    NiftiImage(String name, NiftiHeader header, NiftiDataType datatype, Geometry geometry, Object data) {
        this.name = name;
        this.header = header;
        this.datatype = datatype;
        this.geometry = geometry;
        this.data = data;
        // nifti1.h: a slope of 0 means "no scaling"; nibabel also treats NaN (its default) and
        // infinities that way. A usable slope with a NaN/inf intercept is refused by the reader.
        boolean hasSlope = header.sclSlope != 0 && Double.isFinite(header.sclSlope);
        this.slope = hasSlope ? header.sclSlope : 1.0;
        this.inter = hasSlope && Double.isFinite(header.sclInter) ? header.sclInter : 0.0;
        this.scaled = slope != 1.0 || inter != 0.0;
    }

    /** The file name or URI the image came from. */
    public String name() {
        return name;
    }

    public NiftiHeader header() {
        return header;
    }

    public Geometry geometry() {
        return geometry;
    }

    public NiftiDataType datatype() {
        return datatype;
    }

    /** Effective scale slope (1 when the header has none). */
    public double slope() {
        return slope;
    }

    /** Effective scale intercept (0 when the header has no slope). */
    public double inter() {
        return inter;
    }

    /** Scaled value of voxel i, as nibabel's get_fdata() gives it (raw * slope + inter in double). */
    public double value(int i) {
        double[] v = new double[1];
        raw(i, 1, v);
        return scaled ? v[0] * slope + inter : v[0];
    }

    /**
     * The image as a CT in HU: scaled values cast to int16 like numpy's
     * {@code get_fdata().astype(np.int16)}, which TotalSegmentator's statistics use: truncation toward
     * zero ({@link CtVolume#toHu}). An unscaled int16 file is wrapped without a copy.
     */
    public CtVolume toCt() {
        if (datatype == NiftiDataType.INT16 && !scaled) {
            return new CtVolume(geometry, (short[]) data);
        }
        int n = (int) geometry.voxelCount();
        short[] hu = new short[n];
        double[] v = new double[CHUNK];
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            raw(start, len, v);
            for (int i = 0; i < len; i++) {
                hu[start + i] = CtVolume.toHu(scaled ? v[i] * slope + inter : v[i]);
            }
        }
        return new CtVolume(geometry, hu);
    }

    /**
     * The image as a label map: every scaled value must be an integer in 0..65535 (else an
     * InvalidImageException naming the first offending voxel). Stored as uint8 when the largest
     * label is at most 255, else uint16. An unscaled uint8 file is wrapped without a copy.
     */
    public LabelVolume toLabels() {
        if (datatype == NiftiDataType.UINT8 && !scaled) {
            return LabelVolume.ofUInt8(geometry, (byte[]) data);
        }
        int n = (int) geometry.voxelCount();
        double[] v = new double[CHUNK];
        int max = 0;
        for (int start = 0; start < n; start += CHUNK) { // pass 1: check values, find the largest
            int len = Math.min(CHUNK, n - start);
            scaledChunk(start, len, v);
            for (int i = 0; i < len; i++) {
                double x = v[i];
                if (!(x >= 0 && x <= 65535 && x == Math.rint(x))) {
                    throw badLabel(start + i, x);
                }
                max = Math.max(max, (int) x);
            }
        }
        LabelVolume labels = LabelVolume.allocate(geometry, max);
        for (int start = 0; start < n; start += CHUNK) { // pass 2: store
            int len = Math.min(CHUNK, n - start);
            scaledChunk(start, len, v);
            for (int i = 0; i < len; i++) {
                labels.set(start + i, (int) v[i]);
            }
        }
        return labels;
    }

    private InvalidImageException badLabel(int i, double x) {
        int nx = geometry.nx();
        int ny = geometry.ny();
        return new InvalidImageException(name, "not a label map: voxel (" + (i % nx) + ", " + (i / nx % ny)
                + ", " + (i / nx / ny) + ") holds " + x + "; labels must be integers in 0..65535");
    }

    private void scaledChunk(int start, int len, double[] out) {
        raw(start, len, out);
        if (scaled) {
            for (int i = 0; i < len; i++) {
                out[i] = out[i] * slope + inter;
            }
        }
    }

    /**
     * Raw (unscaled) values of voxels start..start+len-1 as doubles; one type test per chunk. Unsigned
     * types are stored in the signed array of their width and read through a mask.
     */
    private void raw(int start, int len, double[] out) {
        if (data instanceof byte[] d) {
            int mask = datatype == NiftiDataType.UINT8 ? 0xFF : -1;
            for (int i = 0; i < len; i++) out[i] = d[start + i] & mask;
        } else if (data instanceof short[] d) {
            int mask = datatype == NiftiDataType.UINT16 ? 0xFFFF : -1;
            for (int i = 0; i < len; i++) out[i] = d[start + i] & mask;
        } else if (data instanceof int[] d) {
            long mask = datatype == NiftiDataType.UINT32 ? 0xFFFFFFFFL : -1L;
            for (int i = 0; i < len; i++) out[i] = d[start + i] & mask;
        } else {
            float[] d = (float[]) data;
            for (int i = 0; i < len; i++) out[i] = d[start + i];
        }
    }
}
