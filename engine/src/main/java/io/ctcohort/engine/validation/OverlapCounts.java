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
    private final long[] overlap;
    private final long[] model;
    private final long[] reference;

    private OverlapCounts(long[] overlap, long[] model, long[] reference) {
        this.overlap = overlap;
        this.model = model;
        this.reference = reference;
    }

    /** The counts of two label maps on the same grid (the caller has checked it). */
    public static OverlapCounts count(LabelVolume model, LabelVolume reference) {
        int size = Math.max(model.capacity(), reference.capacity()) + 1;
        long[] both = new long[size];
        long[] mod = new long[size];
        long[] ref = new long[size];
        int n = Math.toIntExact(model.geometry().voxelCount());
        byte[] a = model.uint8();
        byte[] b = reference.uint8();
        if (a != null && b != null) { // the usual case: a tight loop over bytes
            for (int i = 0; i < n; i++) {
                int r = b[i] & 0xFF;
                ref[r]++;
                mod[a[i] & 0xFF]++;
                if (a[i] == b[i]) {
                    both[r]++;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int r = reference.get(i);
                int m = model.get(i);
                ref[r]++;
                mod[m]++;
                if (m == r) {
                    both[r]++;
                }
            }
        }
        return new OverlapCounts(both, mod, ref);
    }

    /** Voxels both maps give {@code label}. */
    public long overlap(int label) {
        return at(overlap, label);
    }

    /** Voxels the model's map gives {@code label}. */
    public long model(int label) {
        return at(model, label);
    }

    /** Voxels the reference gives {@code label}. */
    public long reference(int label) {
        return at(reference, label);
    }

    private static long at(long[] counts, int label) {
        return label >= 0 && label < counts.length ? counts[label] : 0;
    }

    /** Labels (not background) the reference holds that {@code known} does not, ascending. */
    List<Integer> referenceLabelsOutside(Collection<Integer> known) {
        List<Integer> out = new ArrayList<>();
        for (int label = 1; label < reference.length; label++) {
            if (reference[label] > 0 && !known.contains(label)) {
                out.add(label);
            }
        }
        return out;
    }
}
