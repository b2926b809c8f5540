package io.ctcohort.engine.image;

/**
 * A label map: one unsigned label per voxel, stored as uint8 when every label fits (up to 255)
 * and as uint16 otherwise, so a 512x512x900 map costs 236 MB rather than four times that.
 */
public final class LabelVolume {
    private final Geometry geometry;
    private final byte[] bytes;
    private final short[] shorts;

    private LabelVolume(Geometry geometry, byte[] bytes, short[] shorts) {
        this.geometry = geometry;
        this.bytes = bytes;
        this.shorts = shorts;
    }

    /** An all-background map able to hold labels up to {@code maxLabel} (at most 65535). */
    public static LabelVolume allocate(Geometry geometry, int maxLabel) {
        int n = Math.toIntExact(geometry.voxelCount());
        if (maxLabel < 0 || maxLabel > 65535) {
            throw new IllegalArgumentException("labels must lie in 0..65535, got " + maxLabel);
        }
        return maxLabel <= 255
                ? new LabelVolume(geometry, new byte[n], null)
                : new LabelVolume(geometry, null, new short[n]);
    }

    /** Wraps uint8 labels (not copied). */
    public static LabelVolume ofUInt8(Geometry geometry, byte[] labels) {
        check(geometry, labels.length);
        return new LabelVolume(geometry, labels, null);
    }

    /** Wraps uint16 labels (not copied). */
    public static LabelVolume ofUInt16(Geometry geometry, short[] labels) {
        check(geometry, labels.length);
        return new LabelVolume(geometry, null, labels);
    }

    private static void check(Geometry geometry, int length) {
        if (length != geometry.voxelCount()) {
            throw new IllegalArgumentException("label array has " + length + " values, geometry needs "
                    + geometry.voxelCount());
        }
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Largest label this map can store: 255 or 65535. */
    public int capacity() {
        return bytes != null ? 255 : 65535;
    }

    public boolean isUInt8() {
        return bytes != null;
    }

    public int get(int i) {
        return bytes != null ? bytes[i] & 0xFF : shorts[i] & 0xFFFF;
    }

    public int get(int x, int y, int z) {
        return get(geometry.index(x, y, z));
    }

    public void set(int i, int label) {
        if (bytes != null) {
            bytes[i] = (byte) label;
        } else {
            shorts[i] = (short) label;
        }
    }

    /** The uint8 backing array, or null when stored as uint16. */
    public byte[] uint8() {
        return bytes;
    }

    /** The uint16 backing array, or null when stored as uint8. */
    public short[] uint16() {
        return shorts;
    }

    /** Largest label present. */
    public int maxLabel() {
        int max = 0;
        int n = Math.toIntExact(geometry.voxelCount());
        for (int i = 0; i < n; i++) {
            max = Math.max(max, get(i));
        }
        return max;
    }
}
