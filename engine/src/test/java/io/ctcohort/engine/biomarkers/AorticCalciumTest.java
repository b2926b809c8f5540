package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An aorta of unenhanced blood (40 HU) with plaques of known HU and size on 3 mm slices (and the
 * same plaques on 1.5 mm slices), a plaque on the wall just outside the lumen mask, a one-voxel
 * speck below 1 mm², and a vertebra beside the aorta whose bone must not count.
 */
class AorticCalciumTest {
    static final PhaseCall NATIVE = new PhaseCall(ContrastPhase.NATIVE, PhaseSource.MANIFEST, null);
    static final double XY = 0.7;
    static final double AREA = XY * XY;
    static final double CY = 10 * XY; // the aorta's centre, on a voxel centre

    /** Plaques spanning 6 mm in z (two 3 mm slices, four 1.5 mm ones) except the 3 mm ones. */
    static Canvas aorta(double sz, int bloodHu) {
        int nz = (int) Math.round(36 / sz);
        int per3 = (int) Math.round(3 / sz); // slices per 3 mm
        Canvas c = new Canvas(81, 81, nz, XY, XY, sz, -80); // odd: voxel centres at multiples of 0.7 mm
        c.paint(Canvas.ellipse(0, CY, 10, 10, 0, nz - 1), bloodHu, "aorta");
        c.noise(8, 11);
        // plaque A: 5x5 voxels (3.5 mm square) at 250 HU, inside the lumen mask, 6 mm tall
        c.paintHu(slices(box(-8, -4, 5, 9), 2 * per3, 4 * per3 - 1), 250);
        // plaque B: 4x4 voxels at 450 HU, 3 mm tall
        c.paintHu(slices(box(4, 7, -1, 2), 6 * per3, 7 * per3 - 1), 450);
        // plaque C: 3x2 voxels at 170 HU on the wall, its outer row outside the lumen mask (0.7 mm < 1 mm)
        c.paintHu(slices(box(-1, 1, 14, 15), 8 * per3, 9 * per3 - 1), 170);
        // a speck: one voxel of 0.49 mm² at 600 HU, below 1 mm²
        c.paintHu(slices(box(0, 0, 8, 8), 10 * per3, 11 * per3 - 1), 600);
        // vertebra behind the aorta, its front row 0.7 mm from the lumen mask (inside the dilated
        // aorta) and left out of its label, as a segmentation that misses the cortex's edge: bone at
        // 500 HU, never plaque (the dilated bone excludes it)
        c.paintHu(Canvas.rect(-12, 12, -25, CY - 10.5 + 1e-6, 0, nz - 1), 500);
        c.paintLabel(Canvas.rect(-12, 12, -25, CY - 11.2 + 1e-6, 0, nz - 1), "vertebrae_L2");
        return c;
    }

    /** Voxels with grid index offsets i0..i1, j0..j1 from the aorta's centre voxel. */
    private static Canvas.Region box(int i0, int i1, int j0, int j1) {
        double cy = CY;
        return (x, y, k) -> x >= i0 * XY - 1e-6 && x <= i1 * XY + 1e-6 && y >= cy + j0 * XY - 1e-6
                && y <= cy + j1 * XY + 1e-6;
    }

    static Canvas.Region slices(Canvas.Region r, int k0, int k1) {
        return (x, y, k) -> k >= k0 && k <= k1 && r.contains(x, y, k);
    }

    /** Expected on 3 mm slices: area x weight per slice. */
    static double expectedAgatston() {
        double a = 2 * 25 * AREA * 2; // two slices of 25 voxels, weight 2
        double b = 16 * AREA * 4;
        double c = 6 * AREA * 1;
        return a + b + c;
    }

    static double expectedVolume() {
        return (25 * 6 + 16 * 3 + 6 * 3) * AREA; // voxels' area x mm tall
    }

    static List<BiomarkerValue> score(Canvas c, PhaseCall phase) {
        return AorticCalcium.measure(c.stored().volume(), phase, 40);
    }

    @Test
    void plaquesOnThreeMillimetreSlices() {
        List<BiomarkerValue> v = score(aorta(3, 40), NATIVE);
        double agatston = Canvas.find(v, "aortic_calcium_agatston", "aorta").value();
        double volume = Canvas.find(v, "aortic_calcium_volume_mm3", "aorta").value();
        assertEquals(expectedAgatston(), agatston, 0.10 * expectedAgatston());
        assertEquals(expectedVolume(), volume, 0.10 * expectedVolume());
    }

    @Test
    void thinnerSlicesAreRescaledToThreeMillimetres() {
        List<BiomarkerValue> v = score(aorta(1.5, 40), NATIVE);
        assertEquals(expectedAgatston(), Canvas.find(v, "aortic_calcium_agatston", "aorta").value(),
                0.10 * expectedAgatston());
        assertEquals(expectedVolume(), Canvas.find(v, "aortic_calcium_volume_mm3", "aorta").value(),
                0.10 * expectedVolume());
    }

    @Test
    void lpsStorageScoresTheSame() {
        Canvas c = aorta(3, 40);
        double ras = Canvas.find(score(c, NATIVE), "aortic_calcium_agatston", "aorta").value();
        double lps = Canvas.find(AorticCalcium.measure(c.lps().volume(), NATIVE, 40), "aortic_calcium_agatston",
                "aorta").value();
        assertEquals(ras, lps, 1e-9);
    }

    @Test
    void noPlaqueScoresZero() {
        Canvas c = new Canvas(81, 81, 12, XY, XY, 3, -80);
        c.paint(Canvas.ellipse(0, CY, 10, 10, 0, 11), 40, "aorta").noise(8, 5);
        List<BiomarkerValue> v = AorticCalcium.measure(c.stored().volume(), NATIVE, 40);
        assertEquals(0.0, Canvas.find(v, "aortic_calcium_agatston", "aorta").value());
    }

    @Test
    void contrastExamsAreRefused() {
        PhaseCall arterial = new PhaseCall(ContrastPhase.ARTERIAL, PhaseSource.ESTIMATED, null);
        BiomarkerValue a = Canvas.find(score(aorta(3, 40), arterial), "aortic_calcium_agatston", "aorta");
        assertNull(a.value());
        assertTrue(a.reason().contains("native scans only"), a.reason());
        // unknown phase and an enhanced aorta: Comp2Comp's refusal
        PhaseCall unknown = new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.ESTIMATED, "no reference");
        BiomarkerValue u = Canvas.find(AorticCalcium.measure(aorta(3, 250).stored().volume(), unknown, 250),
                "aortic_calcium_volume_mm3", "aorta");
        assertNull(u.value());
        assertTrue(u.reason().contains("contrast-enhanced"), u.reason());
        // unknown phase and an unenhanced aorta: scored
        BiomarkerValue n = Canvas.find(AorticCalcium.measure(aorta(3, 40).stored().volume(), unknown, 40),
                "aortic_calcium_agatston", "aorta");
        assertEquals(expectedAgatston(), n.value(), 0.10 * expectedAgatston());
    }

    @Test
    void agatstonWeights() {
        assertEquals(1, AorticCalcium.weight(130));
        assertEquals(1, AorticCalcium.weight(199));
        assertEquals(2, AorticCalcium.weight(200));
        assertEquals(3, AorticCalcium.weight(399));
        assertEquals(4, AorticCalcium.weight(400));
    }
}
