package io.ctcohort.engine.validation;

import io.ctcohort.engine.image.LabelVolume;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One pass over two label maps on one grid: per label, the voxels both maps give it (Dice's
 * intersection) and the voxels each map gives it (Dice's denominator; the reference's also find
 * labels outside the vocabulary). Validation against a reference and the phantoms' model
 * evaluation both count with it.
 */
public final class OverlapCounts {
    private final long[] both;
    /** Voxels only the model's map gives the label (the reference gives them another). */
    private final long[] modelOnly;
    private final long[] referenceOnly;

    private OverlapCounts(long[] both, long[] modelOnly, long[] referenceOnly) {
        this.both = both;
        this.modelOnly = modelOnly;
        this.referenceOnly = referenceOnly;
    }

    /** The counts of two label maps on the same grid (the caller has checked it). */
    public static OverlapCounts count(LabelVolume model, LabelVolume reference) {
        int size = Math.max(model.capacity(), reference.capacity()) + 1;
        long[] both = new long[size];
        long[] modelOnly = new long[size];
        long[] referenceOnly = new long[size];
        int n = Math.toIntExact(model.geometry().voxelCount());
        byte[] a = model.uint8();
        byte[] b = reference.uint8();
        // Most voxels agree (background above all): one increment for them, two for the others.
        if (a != null && b != null) { // the usual case: a tight loop over bytes
            for (int i = 0; i < n; i++) {
                if (a[i] == b[i]) {
                    both[b[i] & 0xFF]++;
                } else {
                    modelOnly[a[i] & 0xFF]++;
                    referenceOnly[b[i] & 0xFF]++;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int m = model.get(i);
                int r = reference.get(i);
                if (m == r) {
                    both[r]++;
                } else {
                    modelOnly[m]++;
                    referenceOnly[r]++;
                }
            }
        }
        return new OverlapCounts(both, modelOnly, referenceOnly);
    }

    /** Voxels both maps give {@code label}. */
    public long overlap(int label) {
        return at(both, label);
    }

    /** Voxels the model's map gives {@code label}. */
    public long model(int label) {
        return at(both, label) + at(modelOnly, label);
    }

    /** Voxels the reference gives {@code label}. */
    public long reference(int label) {
        return at(both, label) + at(referenceOnly, label);
    }

    private static long at(long[] counts, int label) {
        return label >= 0 && label < counts.length ? counts[label] : 0;
    }

    /** Labels (not background) the reference holds that {@code known} does not, ascending. */
    List<Integer> referenceLabelsOutside(Collection<Integer> known) {
        List<Integer> out = new ArrayList<>();
        for (int label = 1; label < both.length; label++) {
            if (reference(label) > 0 && !known.contains(label)) {
                out.add(label);
            }
        }
        return out;
    }
}
