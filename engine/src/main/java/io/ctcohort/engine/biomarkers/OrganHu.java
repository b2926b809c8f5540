package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;

/**
 * {@code liver_hu}, {@code spleen_hu}: mean HU inside the organ's mask eroded {@value #EROSIONS}
 * times with the 6-connected cross (erosion by the L1 ball of radius 3: a voxel goes when a voxel
 * outside the mask lies within L1 distance 3, i.e. a contour voxel within distance 2; computed in
 * one pass in storage order, since the ball is the same in every orientation) (scipy's default structure, as Comp2Comp's
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
        Box b = v.storedBox(organ); // the cross is symmetric: storage order gives the same erosion
        if (b == null) {
            return BiomarkerValue.missing(name, organ, UNIT, organ + " is not in the segmentation");
        }
        int label = v.labelOf(organ);
        int w = b.width();
        int d = b.depth();
        int h = b.height();
        int[] ball = ball(v, EROSIONS - 1);
        int[][] ballXyz = ballOffsets(EROSIONS - 1);
        boolean[] removed = new boolean[w * d * h];
        int[] dims = v.storedDims();
        int sy = dims[0];
        int sz = dims[0] * dims[1];
        long sum = 0;
        long n = 0;
        // one pass in storage order: every organ voxel adds to the sums; a contour voxel (a
        // 6-neighbour outside the organ or the volume) removes the organ voxels within L1 distance 2
        for (int z = 0; z < h; z++) {
            int gz = b.z0() + z;
            for (int y = 0; y < d; y++) {
                int gy = b.y0() + y;
                int src = v.storedIndex(b.x0(), gy, gz);
                for (int x = 0; x < w; x++, src++) {
                    if (v.label(src) != label) {
                        continue;
                    }
                    sum += v.hu(src);
                    n++;
                    int gx = b.x0() + x;
                    boolean contour = gx == 0 || gy == 0 || gz == 0 || gx == dims[0] - 1 || gy == dims[1] - 1
                            || gz == dims[2] - 1 || v.label(src - 1) != label || v.label(src + 1) != label
                            || v.label(src - sy) != label || v.label(src + sy) != label
                            || v.label(src - sz) != label || v.label(src + sz) != label;
                    if (!contour) {
                        continue;
                    }
                    for (int k = 0; k < ball.length; k++) {
                        int[] o = ballXyz[k];
                        int xx = x + o[0];
                        int yy = y + o[1];
                        int zz = z + o[2];
                        if (xx < 0 || yy < 0 || zz < 0 || xx >= w || yy >= d || zz >= h) {
                            continue; // outside the box: not the organ
                        }
                        int c = xx + w * (yy + d * zz);
                        int t = src + ball[k];
                        if (!removed[c] && v.label(t) == label) {
                            removed[c] = true;
                            sum -= v.hu(t);
                            n--;
                        }
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

    /** The offsets (dx, dy, dz) of the L1 ball of radius r. */
    private static int[][] ballOffsets(int r) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int dz = -r; dz <= r; dz++) {
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    if (Math.abs(dx) + Math.abs(dy) + Math.abs(dz) <= r) {
                        out.add(new int[] {dx, dy, dz});
                    }
                }
            }
        }
        return out.toArray(new int[0][]);
    }

    /** The same ball as array index steps in storage order. */
    private static int[] ball(ExamVolume v, int r) {
        int[][] o = ballOffsets(r);
        int[] dims = v.storedDims();
        int[] out = new int[o.length];
        for (int k = 0; k < o.length; k++) {
            out[k] = o[k][0] + dims[0] * (o[k][1] + dims[1] * o[k][2]);
        }
        return out;
    }
}
