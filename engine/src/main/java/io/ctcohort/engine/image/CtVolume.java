package io.ctcohort.engine.image;

/**
 * A CT in Hounsfield units, one int16 per voxel. Every CT is brought to this form on read
 * (scaling applied, then cast to int16 as TotalSegmentator's statistics do), so that the rest of
 * the engine has one compact voxel type to loop over.
 */
public final class CtVolume {
    private final Geometry geometry;
    private final short[] hu;

    public CtVolume(Geometry geometry, short[] hu) {
        if (hu.length != geometry.voxelCount()) {
            throw new IllegalArgumentException("voxel array has " + hu.length + " values, geometry needs "
                    + geometry.voxelCount());
        }
        this.geometry = geometry;
        this.hu = hu;
    }

    public static CtVolume allocate(Geometry geometry) {
        return new CtVolume(geometry, new short[Math.toIntExact(geometry.voxelCount())]);
    }

    public Geometry geometry() {
        return geometry;
    }

    /** The backing array (not a copy): index with {@link Geometry#index}. */
    public short[] hu() {
        return hu;
    }

    /**
     * A scaled value as an int16 HU, as numpy's {@code astype(np.int16)} on TotalSegmentator's
     * float image: truncation toward zero. Where numpy's cast is undefined we choose: values beyond
     * the int16 range saturate to -32768/32767 and NaN becomes 0.
     */
    public static short toHu(double v) {
        if (v >= Short.MAX_VALUE) {
            return Short.MAX_VALUE;
        }
        if (v <= Short.MIN_VALUE) {
            return Short.MIN_VALUE;
        }
        return (short) (int) v; // (int) truncates toward zero; NaN gives 0
    }

    public int get(int x, int y, int z) {
        return hu[geometry.index(x, y, z)];
    }
}
