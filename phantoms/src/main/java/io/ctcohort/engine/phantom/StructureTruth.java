package io.ctcohort.engine.phantom;

/**
 * The planted truth of one structure in one exam, measured on the true label map:
 * volume, mean HU over the noisy int16 image (what StatisticsCalculator reports given the true
 * mask; NaN when the image was not rendered) and over the noise-free image, and whether the
 * structure lies within 3 index planes of a face of the volume (the TotalSegmentator border rule).
 */
public record StructureTruth(int label, String structure, long voxelCount, double volumeMl,
                             double huMean, double huMeanClean, boolean touchesBorder) {
}
