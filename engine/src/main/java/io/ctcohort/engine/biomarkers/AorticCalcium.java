package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code aortic_calcium_agatston} and {@code aortic_calcium_volume_mm3} (site {@code aorta}), after
 * Agatston 1990 and Comp2Comp's {@code aortic_calcium/aortic_calcium.py}, on the part in view:
 * <ol>
 *   <li>Candidates: voxels &gt;= {@value #THRESHOLD_HU} HU within {@value #AORTA_MARGIN_MM} mm
 *       in-plane of an aorta voxel of the same axial slice (the aorta dilated, so that wall
 *       plaques just outside the lumen mask count; at least the 4 nearest neighbours when voxels
 *       are larger than 1 mm), and farther than {@value #BONE_MARGIN_MM} mm in-plane from every
 *       bone voxel (vertebrae, sacrum, ribs, hips, sternum: bone dilated, so the spine's edge never
 *       counts as plaque).</li>
 *   <li>Lesions: 8-connected components of candidates per axial slice; those of area
 *       &gt;= {@value #MIN_AREA_MM2} mm² count.</li>
 *   <li>Agatston = sum over lesions of area (mm²) x weight (1, 2, 3, 4 for peak HU &lt; 200,
 *       &lt; 300, &lt; 400, &gt;= 400), times slice spacing / {@value #REFERENCE_SLICE_MM} mm: the
 *       score is defined on 3 mm slices, a plaque crosses about 3 / spacing times as many slices
 *       when they are thinner, so the sum is rescaled to 3 mm (5 mm slices count 5/3).</li>
 *   <li>Volume (mm³) = lesion voxels x voxel volume (no rescaling: a volume does not depend on the
 *       slicing).</li>
 * </ol>
 * Native scans only: on an exam whose resolved phase is arterial, portal venous or delayed the
 * values are null. Whatever the phase, an aorta whose median exceeds {@value #MAX_NATIVE_MEDIAN_HU}
 * HU is taken as enhanced and refused (Comp2Comp refuses an eroded-aorta mean above 100 HU): this
 * decides an unknown phase and guards a manifest that says native wrongly.
 */
final class AorticCalcium {
    static final Biomarker AGATSTON = new Biomarker("aortic_calcium_agatston", "agatston");
    static final Biomarker VOLUME = new Biomarker("aortic_calcium_volume_mm3", "mm3");
    static final String SITE = "aorta";
    static final int THRESHOLD_HU = 130;
    static final double AORTA_MARGIN_MM = 1.0;
    static final double BONE_MARGIN_MM = 3.0;
    static final double MIN_AREA_MM2 = 1.0;
    static final double REFERENCE_SLICE_MM = 3.0;
    static final double MAX_NATIVE_MEDIAN_HU = 100;

    private AorticCalcium() {
    }

    /** Agatston's density weight of a lesion's peak HU. */
    static int weight(int peakHu) {
        return peakHu < 200 ? 1 : peakHu < 300 ? 2 : peakHu < 400 ? 3 : 4;
    }

    static boolean isBone(String structure) {
        return structure != null && (structure.startsWith("vertebrae_") || structure.equals("sacrum")
                || structure.startsWith("rib_") || structure.startsWith("hip_") || structure.equals("sternum")
                || structure.startsWith("femur_") || structure.equals("costal_cartilages"));
    }

    /**
     * @param aortaMedianHu the aorta's median HU from the structure statistics (NaN when absent)
     */
    static List<BiomarkerValue> measure(ExamVolume v, PhaseCall phase, double aortaMedianHu) {
        Box b = v.box(SITE);
        if (b == null) {
            return missing("aorta is not in the segmentation");
        }
        if (phase.phase() != ContrastPhase.NATIVE && phase.phase() != ContrastPhase.UNKNOWN) {
            return missing("contrast phase " + phase.phase().value() + " (" + phase.source().value()
                    + "): Agatston scoring is defined on native scans only");
        }
        if (aortaMedianHu > MAX_NATIVE_MEDIAN_HU) {
            return missing(String.format(Locale.ROOT, "aorta median %.0f HU > %.0f HU: contrast-enhanced, "
                    + "calcium cannot be told from enhanced blood", aortaMedianHu, MAX_NATIVE_MEDIAN_HU));
        }
        double sx = v.spacing(0);
        double sy = v.spacing(1);
        double sz = v.spacing(2);
        int[][] aortaOffsets = PlaneMasks.disc(Math.max(AORTA_MARGIN_MM, Math.min(sx, sy)), sx, sy);
        int[][] boneOffsets = PlaneMasks.disc(BONE_MARGIN_MM, sx, sy);
        int ma = reach(aortaOffsets); // bone is looked up around each candidate, beyond the crop too
        Box c = b.grown(ma, ma, 0, v.nx(), v.ny(), v.nz());
        int aorta = v.labelOf(SITE);
        int w = c.width();
        int d = c.depth();
        double pixelMm2 = sx * sy;
        double agatston = 0;
        long voxels = 0;
        for (int z = c.z0(); z <= c.z1(); z++) {
            boolean[] cand = new boolean[w * d];
            int[] hu = new int[w * d];
            boolean any = false;
            for (int y = 0; y < d; y++) {
                for (int x = 0; x < w; x++) {
                    int gx = c.x0() + x;
                    int gy = c.y0() + y;
                    int value = v.hu(v.index(gx, gy, z));
                    if (value >= THRESHOLD_HU && near(v, gx, gy, z, aortaOffsets, aorta, false)
                            && !near(v, gx, gy, z, boneOffsets, -1, true)) {
                        cand[x + w * y] = true;
                        hu[x + w * y] = value;
                        any = true;
                    }
                }
            }
            if (!any) {
                continue;
            }
            int[] id = PlaneMasks.components(cand, w, d);
            int max = 0;
            for (int i : id) {
                max = Math.max(max, i);
            }
            int[] count = new int[max + 1];
            int[] peak = new int[max + 1];
            for (int i = 0; i < id.length; i++) {
                if (id[i] > 0) {
                    count[id[i]]++;
                    peak[id[i]] = Math.max(peak[id[i]], hu[i]);
                }
            }
            for (int k = 1; k <= max; k++) {
                double area = count[k] * pixelMm2;
                if (area >= MIN_AREA_MM2) {
                    agatston += area * weight(peak[k]);
                    voxels += count[k];
                }
            }
        }
        List<BiomarkerValue> out = new ArrayList<>(2);
        out.add(AGATSTON.at(SITE, agatston * sz / REFERENCE_SLICE_MM));
        out.add(VOLUME.at(SITE, voxels * pixelMm2 * sz));
        return out;
    }

    private static int reach(int[][] offsets) {
        int r = 0;
        for (int[] o : offsets) {
            r = Math.max(r, Math.max(Math.abs(o[0]), Math.abs(o[1])));
        }
        return r;
    }

    /** Whether a voxel within the offsets carries {@code label} (or, with {@code bone}, any bone label). */
    private static boolean near(ExamVolume v, int x, int y, int z, int[][] offsets, int label, boolean bone) {
        for (int[] o : offsets) {
            int xx = x + o[0];
            int yy = y + o[1];
            if (xx < 0 || yy < 0 || xx >= v.nx() || yy >= v.ny()) {
                continue;
            }
            int l = v.label(v.index(xx, yy, z));
            if (bone ? l != 0 && isBone(v.nameOf(l)) : l == label) {
                return true;
            }
        }
        return false;
    }

    private static List<BiomarkerValue> missing(String reason) {
        return List.of(AGATSTON.missing(SITE, reason), VOLUME.missing(SITE, reason));
    }
}
