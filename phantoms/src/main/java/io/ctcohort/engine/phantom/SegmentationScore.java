package io.ctcohort.engine.phantom;

import io.ctcohort.engine.image.GridMatch;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.validation.OverlapCounts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Agreement of a predicted label map with the true one on the same grid, per structure:
 * Dice {@code 2|A∩B| / (|A| + |B|)} and relative volume error {@code (|B| - |A|) / |A|}
 * (A = truth, B = prediction). One pass over the voxels for all labels ({@link OverlapCounts}, the
 * counts validation against a reference uses).
 */
public final class SegmentationScore {
    /** Per structure: true and predicted voxel counts, overlap. */
    public record StructureScore(String structure, long truthVoxels, long predictedVoxels, long overlap) {
        /** NaN when the structure is absent from both maps. */
        public double dice() {
            long s = truthVoxels + predictedVoxels;
            return s == 0 ? Double.NaN : 2.0 * overlap / s;
        }

        /** Relative volume error (predicted - true) / true; NaN when absent from the truth. */
        public double volumeError() {
            return truthVoxels == 0 ? Double.NaN : (double) (predictedVoxels - truthVoxels) / truthVoxels;
        }
    }

    private SegmentationScore() {
    }

    /** Scores every structure of {@code structures} (label -> name). Grids must match. */
    public static Map<String, StructureScore> compute(LabelVolume truth, LabelVolume predicted,
                                                      Map<Integer, String> structures) {
        String differs = GridMatch.difference(truth.geometry(), predicted.geometry());
        if (differs != null) {
            throw new IllegalArgumentException("label maps lie on different grids: " + differs);
        }
        OverlapCounts counts = OverlapCounts.count(predicted, truth);
        Map<String, StructureScore> out = new LinkedHashMap<>();
        structures.forEach((label, name) -> out.put(name, new StructureScore(name,
                counts.reference(label), counts.model(label), counts.overlap(label))));
        return out;
    }
}
