package io.ctcohort.engine.validation;

import io.ctcohort.engine.image.LabelVolume;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One pass over two label maps on one grid: per label, the voxels both maps give it (Dice's
 * intersection) and the voxels the reference gives it (to find labels outside the vocabulary).
 */
final class OverlapCounts {
    private final long[] overlap;
    private final long[] reference;

    private OverlapCounts(long[] overlap, long[] reference) {
        this.overlap = overlap;
        this.reference = reference;
    }

    static OverlapCounts count(LabelVolume model, LabelVolume reference) {
        int size = Math.max(model.capacity(), reference.capacity()) + 1;
        long[] both = new long[size];
        long[] ref = new long[size];
        int n = Math.toIntExact(model.geometry().voxelCount());
        byte[] a = model.uint8();
        byte[] b = reference.uint8();
        if (a != null && b != null) { // the usual case: a tight loop over bytes
            for (int i = 0; i < n; i++) {
                int r = b[i] & 0xFF;
                ref[r]++;
                if (a[i] == b[i]) {
                    both[r]++;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int r = reference.get(i);
                ref[r]++;
                if (model.get(i) == r) {
                    both[r]++;
                }
            }
        }
        return new OverlapCounts(both, ref);
    }

    long overlap(int label) {
        return label < overlap.length ? overlap[label] : 0;
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
