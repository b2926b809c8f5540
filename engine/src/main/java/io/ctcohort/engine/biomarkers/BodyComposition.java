package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Body composition on the axial slice at the middle of L3 (site {@code vertebrae_L3}): the slice
 * {@code floor((z0 + z1) / 2)} of L3's axial extent on the canonical grid. Tissue windows of
 * Mitsiopoulos 1998: skeletal muscle {@value #MUSCLE_LO}..{@value #MUSCLE_HI} HU, adipose tissue
 * {@value #FAT_LO}..{@value #FAT_HI} HU. Voxels of labeled structures that are not muscles (organs,
 * bone, vessels) count as neither.
 *
 * <p>When the vocabulary holds tissue classes (TotalSegmentator's {@code tissue_types}:
 * {@code skeletal_muscle}, {@code subcutaneous_fat}, {@code torso_fat}), they decide: muscle =
 * skeletal_muscle voxels in the muscle window, IMAT = skeletal_muscle voxels in the fat window, SAT
 * = subcutaneous_fat and VAT = torso_fat voxels in the fat window.
 *
 * <p>Otherwise a rule on HU, in this order:
 * <ol>
 *   <li>Body: voxels &gt; {@value #BODY_HU} HU, the largest 8-connected component, holes filled.</li>
 *   <li>Skin band: body voxels within {@value #SKIN_MM} mm (in-plane, voxel centres) of a voxel
 *       outside the body; its muscle-window voxels are skin, not muscle.</li>
 *   <li>Muscle candidates M: body voxels off the skin band in the muscle window; labeled
 *       muscles (autochthon, iliopsoas, gluteus...) in the window included.</li>
 *   <li>The abdominal muscle wall is the barrier M forms: SAT = fat-window voxels reached from
 *       the skin band by 4-connected steps through body voxels that are neither in M nor labeled.
 *       The muscle ring stops the flood; inside it lies the visceral compartment.</li>
 *   <li>Muscle = the 8-connected components of M that touch the reached region (the wall's
 *       outer face) or hold a labeled muscle; components floating inside the cavity (bowel,
 *       unlabeled viscera) are not muscle.</li>
 *   <li>IMAT = fat-window voxels not SAT that carry a muscle label or lie in the closing of
 *       Muscle by a {@value #IMAT_CLOSING_MM} mm disc (fat enclosed by muscle, gaps up to 6 mm);
 *       VAT = the other fat-window voxels not SAT.</li>
 * </ol>
 * Areas are voxel counts x in-plane voxel area, in cm²; {@code muscle_hu} is the mean HU of Muscle.
 */
final class BodyComposition {
    static final String SITE = "vertebrae_L3";
    static final Biomarker MUSCLE_AREA = new Biomarker("muscle_area_cm2", "cm2");
    static final Biomarker MUSCLE_HU = new Biomarker("muscle_hu", "HU");
    static final Biomarker SAT = new Biomarker("sat_area_cm2", "cm2");
    static final Biomarker VAT = new Biomarker("vat_area_cm2", "cm2");
    static final Biomarker IMAT = new Biomarker("imat_area_cm2", "cm2");
    static final int MUSCLE_LO = -29;
    static final int MUSCLE_HI = 150;
    static final int FAT_LO = -190;
    static final int FAT_HI = -30;
    static final int BODY_HU = -500;
    static final double SKIN_MM = 3.0;
    static final double IMAT_CLOSING_MM = 3.0;

    private BodyComposition() {
    }

    static boolean isMuscle(String structure) {
        if (structure == null) {
            return false;
        }
        for (String m : new String[] {"autochthon", "iliopsoas", "psoas", "gluteus", "muscle", "quadratus",
                "rectus_abdominis", "oblique", "latissimus", "erector"}) {
            if (structure.contains(m)) {
                return true;
            }
        }
        return false;
    }

    static List<BiomarkerValue> measure(ExamVolume v) {
        Box l3 = v.box(SITE);
        if (l3 == null) {
            return missing(SITE + " is not in the segmentation");
        }
        if (l3.touchesAxialEnds(v.nz())) {
            return missing(SITE + " is cut by the field of view (it reaches the first or last axial slice)");
        }
        int z = (l3.z0() + l3.z1()) / 2;
        int w = v.nx();
        int h = v.ny();
        int[] hu = new int[w * h];
        int[] label = new int[w * h];
        int step = v.strideX();
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = v.index(0, y, z); x < w; x++, i += step) {
                hu[x + w * y] = v.hu(i);
                label[x + w * y] = v.label(i);
            }
        }
        double pixelCm2 = v.spacing(0) * v.spacing(1) / 100.0;
        return v.inVocabulary("skeletal_muscle") || v.inVocabulary("subcutaneous_fat") || v.inVocabulary("torso_fat")
                ? byTissueLabels(v, hu, label, pixelCm2) : byHu(v, hu, label, w, h, pixelCm2);
    }

    private static List<BiomarkerValue> byTissueLabels(ExamVolume v, int[] hu, int[] label, double pixelCm2) {
        int muscle = v.labelOf("skeletal_muscle");
        int sat = v.labelOf("subcutaneous_fat");
        int vat = v.labelOf("torso_fat");
        long nMuscle = 0;
        long sumMuscle = 0;
        long nSat = 0;
        long nVat = 0;
        long nImat = 0;
        for (int i = 0; i < hu.length; i++) {
            int l = label[i];
            if (l == 0) {
                continue;
            }
            boolean m = hu[i] >= MUSCLE_LO && hu[i] <= MUSCLE_HI;
            boolean f = hu[i] >= FAT_LO && hu[i] <= FAT_HI;
            if (l == muscle && m) {
                nMuscle++;
                sumMuscle += hu[i];
            } else if (l == muscle && f) {
                nImat++;
            } else if (l == sat && f) {
                nSat++;
            } else if (l == vat && f) {
                nVat++;
            }
        }
        return values(nMuscle, sumMuscle, nSat, nVat, nImat, pixelCm2);
    }

    private static List<BiomarkerValue> byHu(ExamVolume v, int[] hu, int[] label, int w, int h, double pixelCm2) {
        int n = w * h;
        double sx = v.spacing(0);
        double sy = v.spacing(1);
        boolean[] body = new boolean[n];
        for (int i = 0; i < n; i++) {
            body[i] = hu[i] > BODY_HU;
        }
        body = PlaneMasks.fillHoles(PlaneMasks.largestComponent(body, w, h), w, h);
        boolean[] outside = new boolean[n];
        for (int i = 0; i < n; i++) {
            outside[i] = !body[i];
        }
        int[][] skinDisc = PlaneMasks.disc(SKIN_MM, sx, sy);
        boolean[] nearOutside = PlaneMasks.dilate(outside, w, h, skinDisc);

        int maxLabel = v.names().maxLabel();
        boolean[] muscleLabel = new boolean[maxLabel + 1];
        for (int l = 1; l <= maxLabel; l++) {
            muscleLabel[l] = isMuscle(v.nameOf(l));
        }
        boolean[] m = new boolean[n];
        boolean[] fat = new boolean[n];
        boolean[] passable = new boolean[n];
        boolean[] skin = new boolean[n];
        boolean[] labeledMuscle = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (!body[i]) {
                continue;
            }
            int l = label[i];
            boolean isMuscleLabel = l != 0 && l <= maxLabel && muscleLabel[l];
            boolean other = l != 0 && !isMuscleLabel;
            skin[i] = nearOutside[i];
            labeledMuscle[i] = isMuscleLabel;
            m[i] = !other && !skin[i] && hu[i] >= MUSCLE_LO && hu[i] <= MUSCLE_HI;
            fat[i] = !other && hu[i] >= FAT_LO && hu[i] <= FAT_HI;
            passable[i] = !m[i] && !other && !isMuscleLabel;
        }
        boolean[] reached = PlaneMasks.flood(skin, passable, w, h);

        int[] id = PlaneMasks.components(m, w, h);
        int max = 0;
        for (int c : id) {
            max = Math.max(max, c);
        }
        boolean[] wall = new boolean[max + 1];
        for (int i = 0; i < n; i++) {
            int c = id[i];
            if (c == 0 || wall[c]) {
                continue;
            }
            int x = i % w;
            int y = i / w;
            wall[c] = labeledMuscle[i] || (x > 0 && reached[i - 1]) || (x < w - 1 && reached[i + 1])
                    || (y > 0 && reached[i - w]) || (y < h - 1 && reached[i + w]);
        }
        boolean[] muscle = new boolean[n];
        long nMuscle = 0;
        long sumMuscle = 0;
        for (int i = 0; i < n; i++) {
            muscle[i] = id[i] != 0 && wall[id[i]];
            if (muscle[i]) {
                nMuscle++;
                sumMuscle += hu[i];
            }
        }
        boolean[] closed = PlaneMasks.close(muscle, w, h, PlaneMasks.disc(IMAT_CLOSING_MM, sx, sy));
        long nSat = 0;
        long nVat = 0;
        long nImat = 0;
        for (int i = 0; i < n; i++) {
            if (!fat[i]) {
                continue;
            }
            if (reached[i]) {
                nSat++;
            } else if (labeledMuscle[i] || closed[i]) {
                nImat++;
            } else {
                nVat++;
            }
        }
        return values(nMuscle, sumMuscle, nSat, nVat, nImat, pixelCm2);
    }

    private static List<BiomarkerValue> values(long nMuscle, long sumMuscle, long nSat, long nVat, long nImat,
                                               double pixelCm2) {
        List<BiomarkerValue> out = new ArrayList<>(5);
        out.add(MUSCLE_AREA.at(SITE, nMuscle * pixelCm2));
        out.add(nMuscle == 0
                ? MUSCLE_HU.missing(SITE, "no muscle voxel on L3's mid slice")
                : MUSCLE_HU.at(SITE, (double) sumMuscle / nMuscle));
        out.add(SAT.at(SITE, nSat * pixelCm2));
        out.add(VAT.at(SITE, nVat * pixelCm2));
        out.add(IMAT.at(SITE, nImat * pixelCm2));
        return out;
    }

    private static List<BiomarkerValue> missing(String reason) {
        return List.of(MUSCLE_AREA.missing(SITE, reason),
                MUSCLE_HU.missing(SITE, reason),
                SAT.missing(SITE, reason),
                VAT.missing(SITE, reason),
                IMAT.missing(SITE, reason));
    }
}
