package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.VoxelView;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CT made ready for the network ({@link Segmenter#prepare}): the canonical crop box, the image
 * resampled to the model's spacing and normalized, and the milliseconds that took. Handed once to
 * {@link Segmenter#segment(PreparedCt, int)}, which takes the image (the largest array of an exam).
 */
public final class PreparedCt {
    private final CtVolume ct;
    private final VoxelView box;
    private final int[] dims;
    private final Map<String, Long> stageMillis;
    private float[] image;

    PreparedCt(CtVolume ct, VoxelView box, int[] dims, float[] image, Map<String, Long> stageMillis) {
        this.ct = ct;
        this.box = box;
        this.dims = dims.clone();
        this.image = image;
        this.stageMillis = Collections.unmodifiableMap(new LinkedHashMap<>(stageMillis));
    }

    public CtVolume ct() {
        return ct;
    }

    VoxelView box() {
        return box;
    }

    /** Model-resolution dims x, y, z. */
    int[] dims() {
        return dims.clone();
    }

    /** reorient, resample, normalize (ms). */
    public Map<String, Long> stageMillis() {
        return stageMillis;
    }

    /** The normalized image, once: a second segment of the same preparation is a programming error. */
    synchronized float[] takeImage() {
        float[] taken = image;
        if (taken == null) {
            throw new IllegalStateException("this prepared CT was already segmented");
        }
        image = null;
        return taken;
    }
}
