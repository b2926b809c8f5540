package io.ctcohort.engine.phantom;

import io.ctcohort.engine.labels.LabelMap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The structures a phantom contains, with their TotalSegmentator {@code total} (v2) label
 * indices, so that statistics computed with {@code LabelMap.total()} name them correctly.
 */
public final class PhantomStructures {
    public static final int SPLEEN = 1, KIDNEY_RIGHT = 2, KIDNEY_LEFT = 3, LIVER = 5, PANCREAS = 7;
    public static final int VERTEBRAE_L5 = 27, VERTEBRAE_L4 = 28, VERTEBRAE_L3 = 29, VERTEBRAE_L2 = 30, VERTEBRAE_L1 = 31;
    public static final int AORTA = 52;
    public static final int HIP_LEFT = 77, HIP_RIGHT = 78;
    public static final int AUTOCHTHON_LEFT = 86, AUTOCHTHON_RIGHT = 87, ILIOPSOAS_LEFT = 88, ILIOPSOAS_RIGHT = 89;

    /** Label index -> TotalSegmentator name, in label order. */
    public static final Map<Integer, String> LABELS;

    static {
        // names from the bundled TotalSegmentator table, not a second copy of it
        LabelMap total = LabelMap.total();
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int label : new int[] {SPLEEN, KIDNEY_RIGHT, KIDNEY_LEFT, LIVER, PANCREAS, VERTEBRAE_L5,
                VERTEBRAE_L4, VERTEBRAE_L3, VERTEBRAE_L2, VERTEBRAE_L1, AORTA, HIP_LEFT, HIP_RIGHT,
                AUTOCHTHON_LEFT, AUTOCHTHON_RIGHT, ILIOPSOAS_LEFT, ILIOPSOAS_RIGHT}) {
            m.put(label, Objects.requireNonNull(total.name(label), "label " + label + " not in total"));
        }
        LABELS = Collections.unmodifiableMap(m);
    }

    /** Vertebra label of lumbar level 1..5 (TotalSegmentator counts down from L5 = 27). */
    public static int vertebra(int level) {
        return VERTEBRAE_L1 - (level - 1);
    }

    public static String name(int label) {
        String n = LABELS.get(label);
        if (n == null) {
            throw new IllegalArgumentException("label " + label + " is not a phantom structure");
        }
        return n;
    }

    private PhantomStructures() {
    }
}
