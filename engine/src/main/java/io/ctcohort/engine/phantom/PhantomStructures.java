package io.ctcohort.engine.phantom;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The structures a phantom contains, with their TotalSegmentator {@code total} (v2) label
 * indices, so that statistics computed with {@code LabelMap.total()} name them correctly.
 */
public final class PhantomStructures {
    public static final int SPLEEN = 1;
    public static final int KIDNEY_RIGHT = 2;
    public static final int KIDNEY_LEFT = 3;
    public static final int LIVER = 5;
    public static final int PANCREAS = 7;
    public static final int VERTEBRAE_L5 = 27;
    public static final int VERTEBRAE_L4 = 28;
    public static final int VERTEBRAE_L3 = 29;
    public static final int VERTEBRAE_L2 = 30;
    public static final int VERTEBRAE_L1 = 31;
    public static final int AORTA = 52;
    public static final int HIP_LEFT = 77;
    public static final int HIP_RIGHT = 78;
    public static final int AUTOCHTHON_LEFT = 86;
    public static final int AUTOCHTHON_RIGHT = 87;
    public static final int ILIOPSOAS_LEFT = 88;
    public static final int ILIOPSOAS_RIGHT = 89;

    /** Label index -> TotalSegmentator name, in label order. */
    public static final Map<Integer, String> LABELS;

    static {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(SPLEEN, "spleen");
        m.put(KIDNEY_RIGHT, "kidney_right");
        m.put(KIDNEY_LEFT, "kidney_left");
        m.put(LIVER, "liver");
        m.put(PANCREAS, "pancreas");
        m.put(VERTEBRAE_L5, "vertebrae_L5");
        m.put(VERTEBRAE_L4, "vertebrae_L4");
        m.put(VERTEBRAE_L3, "vertebrae_L3");
        m.put(VERTEBRAE_L2, "vertebrae_L2");
        m.put(VERTEBRAE_L1, "vertebrae_L1");
        m.put(AORTA, "aorta");
        m.put(HIP_LEFT, "hip_left");
        m.put(HIP_RIGHT, "hip_right");
        m.put(AUTOCHTHON_LEFT, "autochthon_left");
        m.put(AUTOCHTHON_RIGHT, "autochthon_right");
        m.put(ILIOPSOAS_LEFT, "iliopsoas_left");
        m.put(ILIOPSOAS_RIGHT, "iliopsoas_right");
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
