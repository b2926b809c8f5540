package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;

/**
 * {@code trabecular_hu}: mean HU of a vertebral body's trabecular (cancellous) bone, the cortex, the
 * endplates and the posterior elements excluded. After Comp2Comp's {@code spine_utils.roi_from_mask}
 * (an ellipse in the body's mid slices, inside the mask eroded past the cortex), with an exact rule
 * of our own, on the canonical grid:
 * <ol>
 *   <li>Mid slices: the axial slices of the middle third of the vertebra's axial extent
 *       ({@code z0 + floor(h/3) .. z1 - floor(h/3)}), away from the cortical endplates.</li>
 *   <li>Midline: the left-right centroid of the vertebra's voxels in those slices.</li>
 *   <li>Body, per mid slice: along the midline column, the first run of mask voxels met going
 *       posteriorly from the anterior edge; the spinal canal ends it, so the posterior elements
 *       never count. Depth D = that run's length; width W = the mask run along the row at the
 *       run's middle that contains the midline.</li>
 *   <li>ROI: the ellipse centred at the body's mid depth and mid width with semi-axes
 *       {@value #DEPTH_FRACTION} D (antero-posterior) and {@value #WIDTH_FRACTION} W (left-right),
 *       Comp2Comp's proportions, restricted to voxels whose square neighbourhood of half-side
 *       {@value #CORTEX_MARGIN_MM} mm (at least one voxel) lies wholly inside the mask: the
 *       erosion past the cortex.</li>
 *   <li>Value: mean HU of the ROI voxels over all mid slices; at least {@value #MIN_VOXELS}
 *       voxels and a body {@value #MIN_DEPTH_MM} mm deep, else null with a reason.</li>
 * </ol>
 * A vertebra cut by the field of view (its mask reaches the first or last axial slice) is null:
 * never a number from part of a vertebra.
 */
final class TrabecularHu {
    static final Biomarker TRABECULAR_HU = new Biomarker("trabecular_hu", "HU");
    static final double DEPTH_FRACTION = 0.25;
    static final double WIDTH_FRACTION = 0.325;
    static final double CORTEX_MARGIN_MM = 2.0;
    static final int MIN_VOXELS = 10;
    static final double MIN_DEPTH_MM = 8.0;

    /** TotalSegmentator's vertebra names, top to bottom. */
    static final String[] VERTEBRAE = vertebrae();

    private TrabecularHu() {
    }

    private static String[] vertebrae() {
        String[] out = new String[7 + 12 + 5 + 1];
        int i = 0;
        for (int c = 1; c <= 7; c++) {
            out[i++] = "vertebrae_C" + c;
        }
        for (int t = 1; t <= 12; t++) {
            out[i++] = "vertebrae_T" + t;
        }
        for (int l = 1; l <= 5; l++) {
            out[i++] = "vertebrae_L" + l;
        }
        out[i] = "vertebrae_S1";
        return out;
    }

    static BiomarkerValue measure(ExamVolume v, String vertebra) {
        Box b = v.box(vertebra);
        if (b == null) {
            return missing(vertebra, vertebra + " is not in the segmentation");
        }
        if (b.touchesAxialEnds(v.nz())) {
            return missing(vertebra, vertebra + " is cut by the field of view (it reaches the first or last axial slice)");
        }
        int label = v.labelOf(vertebra);
        int third = b.height() / 3;
        int zLo = b.z0() + third;
        int zHi = b.z1() - third;
        int xc = midline(v, b, label, zLo, zHi);
        double sx = v.spacing(0);
        double sy = v.spacing(1);
        int mx = Math.max(1, (int) Math.ceil(CORTEX_MARGIN_MM / sx - 1e-9));
        int my = Math.max(1, (int) Math.ceil(CORTEX_MARGIN_MM / sy - 1e-9));
        long sum = 0;
        int n = 0;
        int bodies = 0;
        for (int z = zLo; z <= zHi; z++) {
            int yA = -1;
            for (int y = b.y1(); y >= b.y0(); y--) {
                if (in(v, label, xc, y, z)) {
                    yA = y;
                    break;
                }
            }
            if (yA < 0) {
                continue;
            }
            int yP = yA;
            while (yP - 1 >= b.y0() && in(v, label, xc, yP - 1, z)) {
                yP--;
            }
            int depth = yA - yP + 1;
            if (depth * sy < MIN_DEPTH_MM) {
                continue;
            }
            bodies++;
            int yMid = (yA + yP) / 2;
            int xL = xc;
            int xR = xc;
            while (xL - 1 >= b.x0() && in(v, label, xL - 1, yMid, z)) {
                xL--;
            }
            while (xR + 1 <= b.x1() && in(v, label, xR + 1, yMid, z)) {
                xR++;
            }
            double cx = (xL + xR) / 2.0;
            double cy = (yA + yP) / 2.0;
            double ax = WIDTH_FRACTION * (xR - xL + 1) * sx;
            double ay = DEPTH_FRACTION * depth * sy;
            for (int y = yP; y <= yA; y++) {
                double dy = (y - cy) * sy / ay;
                for (int x = xL; x <= xR; x++) {
                    double dx = (x - cx) * sx / ax;
                    if (dx * dx + dy * dy <= 1 && insideWithMargin(v, b, label, x, y, z, mx, my)) {
                        sum += v.hu(v.index(x, y, z));
                        n++;
                    }
                }
            }
        }
        if (bodies == 0) {
            return missing(vertebra, "no vertebral body " + MIN_DEPTH_MM + " mm deep found on the midline of "
                    + vertebra + "'s mid slices");
        }
        if (n < MIN_VOXELS) {
            return missing(vertebra, "trabecular ROI of " + vertebra + " holds " + n + " voxels, fewer than "
                    + MIN_VOXELS);
        }
        return TRABECULAR_HU.at(vertebra, (double) sum / n);
    }

    private static int midline(ExamVolume v, Box b, int label, int zLo, int zHi) {
        long sx = 0;
        long n = 0;
        for (int z = zLo; z <= zHi; z++) {
            for (int y = b.y0(); y <= b.y1(); y++) {
                for (int x = b.x0(); x <= b.x1(); x++) {
                    if (v.label(v.index(x, y, z)) == label) {
                        sx += x;
                        n++;
                    }
                }
            }
        }
        return n == 0 ? (b.x0() + b.x1()) / 2 : (int) Math.round((double) sx / n);
    }

    private static boolean in(ExamVolume v, int label, int x, int y, int z) {
        return v.label(v.index(x, y, z)) == label;
    }

    private static boolean insideWithMargin(ExamVolume v, Box b, int label, int x, int y, int z, int mx, int my) {
        if (x - mx < b.x0() || x + mx > b.x1() || y - my < b.y0() || y + my > b.y1()) {
            return false;
        }
        for (int yy = y - my; yy <= y + my; yy++) {
            for (int xx = x - mx; xx <= x + mx; xx++) {
                if (!in(v, label, xx, yy, z)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static BiomarkerValue missing(String site, String reason) {
        return TRABECULAR_HU.missing(site, reason);
    }
}
