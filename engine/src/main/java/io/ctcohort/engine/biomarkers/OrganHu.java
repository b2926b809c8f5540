package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;

/**
 * {@code liver_hu}, {@code spleen_hu}: mean HU inside the organ's mask eroded {@value #EROSIONS}
 * times with the 6-connected cross (erosion by the L1 ball of radius 3: a voxel stays when every voxel
 * outside the mask is more than L1 distance 3 away; computed by a city-block distance transform on
 * the organ's box in storage order, since the ball is the same in every orientation) (scipy's default structure, as Comp2Comp's
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
    /** Distance at which a voxel survives the erosions. */
    private static final int KEEP = EROSIONS + 1;

    private OrganHu() {
    }

    /** The biomarker name of an organ's HU: {@code liver_hu}, {@code spleen_hu}. */
    static String name(String organ) {
        return organ + "_hu";
    }

    static BiomarkerValue measure(ExamVolume v, String organ) {
        String name = name(organ);
        Box b = v.storedBox(organ); // the cross is symmetric: storage order gives the same erosion
        if (b == null) {
            return BiomarkerValue.missing(name, organ, UNIT, organ + " is not in the segmentation");
        }
        int label = v.labelOf(organ);
        int w = b.width();
        int d = b.depth();
        int h = b.height();
        int plane = w * d;
        // City-block distance to the nearest voxel outside the organ (outside the box counts as
        // outside: the box is tight), capped at KEEP, by two raster passes (Rosenfeld and Pfaltz
        // 1966; exact for the L1 metric). Three cross erosions keep exactly the voxels at distance
        // > EROSIONS.
        byte[] dist = new byte[w * d * h];
        for (int z = 0, i = 0; z < h; z++) {
            for (int y = 0; y < d; y++) {
                int src = v.storedIndex(b.x0(), b.y0() + y, b.z0() + z);
                for (int x = 0; x < w; x++, i++, src++) {
                    if (v.label(src) != label) {
                        continue;
                    }
                    int m = Math.min(x > 0 ? dist[i - 1] : 0, Math.min(y > 0 ? dist[i - w] : 0, z > 0 ? dist[i - plane] : 0));
                    dist[i] = (byte) Math.min(KEEP, m + 1);
                }
            }
        }
        long sum = 0;
        long n = 0;
        for (int z = h - 1, i = w * d * h - 1; z >= 0; z--) {
            for (int y = d - 1; y >= 0; y--) {
                int src = v.storedIndex(b.x0() + w - 1, b.y0() + y, b.z0() + z);
                for (int x = w - 1; x >= 0; x--, i--, src--) {
                    if (dist[i] == 0) {
                        continue;
                    }
                    int m = Math.min(x < w - 1 ? dist[i + 1] : 0,
                            Math.min(y < d - 1 ? dist[i + w] : 0, z < h - 1 ? dist[i + plane] : 0));
                    int di = Math.min(dist[i], m + 1);
                    dist[i] = (byte) di;
                    if (di >= KEEP) {
                        sum += v.hu(src);
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
}
