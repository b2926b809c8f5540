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

    public int get(int x, int y, int z) {
        return hu[geometry.index(x, y, z)];
    }
}
