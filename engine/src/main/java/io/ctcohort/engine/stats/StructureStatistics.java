package io.ctcohort.engine.stats;

/**
 * Measurements of one structure in one exam (one row of the measurements table).
 * HU statistics are over the CT cast to int16; hu_std is the population standard deviation
 * (ddof = 0, numpy's default); percentiles use numpy's default 'linear' definition.
 * An absent structure has voxelCount 0, volumeMm3 0, every hu* NaN and touchesBorder false.
 *
 * @param volumeMm3     voxel count x voxel volume, as TotalSegmentator computes it (statistics.json's unit)
 * @param touchesBorder a voxel lies within 3 index planes of a face (TotalSegmentator's rule)
 */
public record StructureStatistics(int label, String structure, long voxelCount, double volumeMm3,
                                  double huMean, double huStd, double huMedian, double huP05, double huP95,
                                  boolean touchesBorder) {

    /** The statistics of a structure with no voxel. */
    public static StructureStatistics absent(int label, String structure) {
        return new StructureStatistics(label, structure, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, false);
    }

    /** The volume in ml (the measurements table's unit). */
    public double volumeMl() {
        return volumeMm3 / 1000.0;
    }

    public boolean present() {
        return voxelCount > 0;
    }
}
