package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;

/**
 * {@code liver_hu}, {@code spleen_hu}: mean HU inside the organ's mask eroded {@value #EROSIONS}
 * times with the 6-connected cross (scipy's default structure, as Comp2Comp's
 * {@code liver_spleen_pancreas} erodes before measuring), so that voxels within three steps of the
 * boundary, where the mask bleeds into fat or a neighbour, do not count. Voxels beyond the
 * volume count as outside the mask (scipy's border_value 0). Computed on the part in view.
 * {@code liver_spleen_difference_hu} (site {@code liver}) = liver_hu - spleen_hu (Park 2006: &lt; 1 HU
 * suggests steatosis on unenhanced CT).
 */
final class OrganHu {
    static final String UNIT = "HU";
    static final String DIFFERENCE = "liver_spleen_difference_hu";
    static final int EROSIONS = 3;

    private OrganHu() {
    }

    /** The biomarker name of an organ's HU: {@code liver_hu}, {@code spleen_hu}. */
    static String name(String organ) {
        return organ + "_hu";
    }

    static BiomarkerValue measure(ExamVolume v, String organ) {
        String name = name(organ);
        Box b = v.box(organ);
        if (b == null) {
            return BiomarkerValue.missing(name, organ, UNIT, organ + " is not in the segmentation");
        }
        int label = v.labelOf(organ);
        int w = b.width();
        int d = b.depth();
        int h = b.height();
        boolean[] m = new boolean[w * d * h];
        for (int z = 0; z < h; z++) {
            for (int y = 0; y < d; y++) {
                for (int x = 0; x < w; x++) {
                    m[x + w * (y + d * z)] = v.label(v.index(b.x0() + x, b.y0() + y, b.z0() + z)) == label;
                }
            }
        }
        for (int k = 0; k < EROSIONS; k++) {
            m = erodeCross(m, w, d, h);
        }
        long sum = 0;
        long n = 0;
        for (int z = 0; z < h; z++) {
            for (int y = 0; y < d; y++) {
                for (int x = 0; x < w; x++) {
                    if (m[x + w * (y + d * z)]) {
                        sum += v.hu(v.index(b.x0() + x, b.y0() + y, b.z0() + z));
                        n++;
                    }
                }
            }
        }
        if (n == 0) {
            return BiomarkerValue.missing(name, organ, UNIT, organ + " has no voxel left after eroding its mask "
                    + EROSIONS + " times");
        }
        return BiomarkerValue.of(name, organ, (double) sum / n, UNIT);
    }

    static BiomarkerValue difference(BiomarkerValue liver, BiomarkerValue spleen) {
        if (liver.value() == null || spleen.value() == null) {
            return BiomarkerValue.missing(DIFFERENCE, "liver", UNIT, liver.value() == null
                    ? "liver_hu is missing: " + liver.reason() : "spleen_hu is missing: " + spleen.reason());
        }
        return BiomarkerValue.of(DIFFERENCE, "liver", liver.value() - spleen.value(), UNIT);
    }

    /** One binary erosion with the 6-connected cross; outside the box counts as background. */
    private static boolean[] erodeCross(boolean[] m, int w, int d, int h) {
        boolean[] out = new boolean[m.length];
        int plane = w * d;
        for (int z = 0; z < h; z++) {
            for (int y = 0; y < d; y++) {
                for (int x = 0; x < w; x++) {
                    int i = x + w * (y + d * z);
                    out[i] = m[i] && x > 0 && x < w - 1 && y > 0 && y < d - 1 && z > 0 && z < h - 1
                            && m[i - 1] && m[i + 1] && m[i - w] && m[i + w] && m[i - plane] && m[i + plane];
                }
            }
        }
        return out;
    }
}
