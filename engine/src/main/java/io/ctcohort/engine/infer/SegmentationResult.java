package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.LabelVolume;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A label map in the CT's own grid (same dims and affine as the input) and the milliseconds each
 * stage took: reorient, resample, normalize, infer, restore (in that order).
 */
public record SegmentationResult(LabelVolume labels, Map<String, Long> stageMillis) {
    public SegmentationResult {
        stageMillis = Collections.unmodifiableMap(new LinkedHashMap<>(stageMillis)); // keeps stage order
    }
}
