package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.BiomarkerValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An L3 level of known areas: subcutaneous fat between the skin outline and a closed muscle wall,
 * four fat pockets in the wall (IMAT), and a visceral cavity of fat holding the vertebra, both
 * psoas (labeled muscles), a kidney (labeled, not muscle) and an unlabeled bowel loop of
 * muscle-like HU that must not count as muscle.
 */
class BodyCompositionTest {
    static final int FAT = -100;
    static final int MUSCLE = 50;
    static final double AREA_TOLERANCE = 0.05;
    static final double XY = 0.8;
    // semi-axes in mm: skin outline, outer and inner faces of the muscle wall
    static final double OA = 150, OB = 110, IA = 125, IB = 88, CA = 113, CB = 76;
    static final double[][] POCKETS = {{0, 82}, {0, -82}, {119, 0}, {-119, 0}}; // centres, mm
    static final int POCKET_VOXELS = 5 * 6;

    /** L3 labeled on slices l0..l1 of nz 3 mm slices. */
    static Canvas l3(int nz, int l0, int l1) {
        Canvas c = new Canvas(421, 321, nz, XY, XY, 3, -1000);
        int k1 = nz - 1;
        c.paintHu(Canvas.ellipse(0, 0, OA, OB, 0, k1), FAT);
        c.paintHu(Canvas.ellipse(0, 0, IA, IB, 0, k1), MUSCLE);
        c.paintHu(Canvas.ellipse(0, 0, CA, CB, 0, k1), FAT);
        for (double[] p : POCKETS) { // 5 x 6 voxels: 4.0 x 4.8 mm, or 4.8 x 4.0 on the sides
            boolean side = p[0] != 0;
            double hx = (side ? 6 : 5) * XY / 2;
            double hy = (side ? 5 : 6) * XY / 2;
            c.paintHu(Canvas.rect(p[0] - hx, p[0] + hx - 1e-6, p[1] - hy, p[1] + hy - 1e-6, 0, k1), FAT);
        }
        c.paint(Canvas.ellipse(0, -50, 20, 15, l0, l1), 300, "vertebrae_L3");
        c.paint(Canvas.ellipse(35, -50, 10, 12, 0, k1), MUSCLE, "iliopsoas_right");
        c.paint(Canvas.ellipse(-35, -50, 10, 12, 0, k1), MUSCLE, "iliopsoas_left");
        c.paint(Canvas.ellipse(-60, -20, 15, 20, 0, k1), 30, "kidney_left");
        c.paintHu(Canvas.ellipse(0, 30, 15, 12, 0, k1), 30); // bowel, unlabeled
        return c.noise(10, 21);
    }

    static double cm2(double mm2) {
        return mm2 / 100;
    }

    static double ellipse(double a, double b) {
        return Math.PI * a * b;
    }

    static final double SAT = cm2(ellipse(OA, OB) - ellipse(IA, IB));
    static final double IMAT = cm2(POCKETS.length * POCKET_VOXELS * XY * XY);
    static final double PSOAS = cm2(2 * ellipse(10, 12));
    static final double MUSCLE_AREA = cm2(ellipse(IA, IB) - ellipse(CA, CB)) - IMAT + PSOAS;
    static final double VAT = cm2(ellipse(CA, CB) - ellipse(20, 15) - ellipse(15, 20) - ellipse(15, 12)) - PSOAS;

    static void assertKnownAreas(List<BiomarkerValue> v) {
        assertEquals(SAT, value(v, "sat_area_cm2"), AREA_TOLERANCE * SAT);
        assertEquals(VAT, value(v, "vat_area_cm2"), AREA_TOLERANCE * VAT);
        assertEquals(IMAT, value(v, "imat_area_cm2"), AREA_TOLERANCE * IMAT);
        assertEquals(MUSCLE_AREA, value(v, "muscle_area_cm2"), AREA_TOLERANCE * MUSCLE_AREA);
        assertEquals(MUSCLE, value(v, "muscle_hu"), 2.0);
    }

    static double value(List<BiomarkerValue> v, String name) {
        BiomarkerValue b = Canvas.find(v, name, "vertebrae_L3");
        assertTrue(b.value() != null, b.toString());
        return b.value();
    }

    @Test
    void areasAndMuscleHuOfAKnownSlice() {
        assertKnownAreas(BodyComposition.measure(l3(9, 1, 7).stored().volume()));
    }

    @Test
    void lpsStorageGivesTheSameAreas() {
        Canvas c = l3(9, 1, 7);
        List<BiomarkerValue> lps = BodyComposition.measure(c.lps().volume());
        assertKnownAreas(lps);
        assertEquals(value(BodyComposition.measure(c.stored().volume()), "vat_area_cm2"), value(lps, "vat_area_cm2"),
                1e-9);
    }

    @Test
    void l3CutByTheFieldOfViewGivesNullsWithReasons() {
        List<BiomarkerValue> v = BodyComposition.measure(l3(6, 0, 3).stored().volume());
        assertEquals(5, v.size());
        for (BiomarkerValue b : v) {
            assertNull(b.value(), b.toString());
            assertTrue(b.reason().contains("cut by the field of view"), b.reason());
        }
    }

    @Test
    void l3AbsentGivesNullsWithReasons() {
        Canvas c = l3(9, 1, 7);
        java.util.Arrays.fill(c.labels, (byte) 0);
        for (BiomarkerValue b : BodyComposition.measure(c.stored().volume())) {
            assertNull(b.value());
            assertTrue(b.reason().contains("not in the segmentation"), b.reason());
        }
    }

    @Test
    void tissueClassesDecideWhereTheVocabularyHasThem() {
        // labels of a tissue_types-like model; the bowel is labeled torso_fat, but its HU is not fat
        Canvas c = l3(9, 1, 7);
        java.util.Arrays.fill(c.labels, (byte) 0);
        int sat = 200, torso = 201, muscle = 202, l3 = 29;
        c.paintLabel(Canvas.ellipse(0, 0, OA, OB, 0, 8), sat);
        c.paintLabel(Canvas.ellipse(0, 0, IA, IB, 0, 8), muscle);
        c.paintLabel(Canvas.ellipse(0, 0, CA, CB, 0, 8), torso);
        c.paintLabel(Canvas.ellipse(0, -50, 20, 15, 1, 7), l3);
        c.paintLabel(Canvas.ellipse(35, -50, 10, 12, 0, 8), muscle);
        c.paintLabel(Canvas.ellipse(-35, -50, 10, 12, 0, 8), muscle);
        c.paintLabel(Canvas.ellipse(-60, -20, 15, 20, 0, 8), 0);
        LabelMap tissues = LabelMap.of(Map.of(sat, "subcutaneous_fat", torso, "torso_fat", muscle, "skeletal_muscle",
                l3, "vertebrae_L3"));
        List<BiomarkerValue> v = BodyComposition.measure(c.stored().volume(tissues));
        assertKnownAreas(v);
    }
}
