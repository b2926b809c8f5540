package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.measure.BiomarkerValue;
import org.junit.jupiter.api.Test;

/** Liver and spleen of known HU in fat, their masks one voxel too large (bleeding into the fat). */
class OrganHuTest {
    static final int LIVER_HU = 58;
    static final int SPLEEN_HU = 47;
    static final int FAT_HU = -100;
    static final double TOLERANCE = 2.5;

    static Canvas organs(int nz, int k0, int k1) {
        Canvas c = new Canvas(120, 100, nz, 1.0, 1.0, 2.0, FAT_HU);
        // masks: the organ grown by one voxel in-plane and one slice up and down
        c.paintLabel(Canvas.ellipse(-20, 0, 31, 26, k0 - 1, k1 + 1), "liver");
        c.paintHu(Canvas.ellipse(-20, 0, 30, 25, k0, k1), LIVER_HU);
        c.paintLabel(Canvas.ellipse(35, 0, 13, 17, k0 - 1, k1 + 1), "spleen");
        c.paintHu(Canvas.ellipse(35, 0, 12, 16, k0, k1), SPLEEN_HU);
        return c.noise(12, 3);
    }

    @Test
    void erodedMeanIgnoresTheVoxelsBleedingIntoFat() {
        Canvas c = organs(24, 3, 20);
        ExamVolume v = c.stored().volume();
        BiomarkerValue liver = OrganHu.measure(v, "liver");
        BiomarkerValue spleen = OrganHu.measure(v, "spleen");
        assertEquals(LIVER_HU, liver.value(), TOLERANCE);
        assertEquals(SPLEEN_HU, spleen.value(), TOLERANCE);
        BiomarkerValue diff = OrganHu.difference(liver, spleen);
        assertEquals("liver", diff.site());
        assertEquals(LIVER_HU - SPLEEN_HU, diff.value(), 2 * TOLERANCE);
        // the whole mask is biased by the bleeding voxels: the test checks the erosion
        assertTrue(Math.abs(TrabecularHuTest.wholeMaskMean(c, "liver") - LIVER_HU) > 2 * TOLERANCE);
        assertTrue(Math.abs(TrabecularHuTest.wholeMaskMean(c, "spleen") - SPLEEN_HU) > 2 * TOLERANCE);
    }

    @Test
    void organCutByTheFieldOfViewIsMeasuredOnThePartInView() {
        Canvas c = organs(12, 0, 30); // both organs run through both ends
        BiomarkerValue liver = OrganHu.measure(c.lps().volume(), "liver");
        assertEquals(LIVER_HU, liver.value(), TOLERANCE);
    }

    @Test
    void absentOrganAndItsDifferenceAreNullWithReasons() {
        Canvas c = new Canvas(60, 60, 12, 1, 1, 2, FAT_HU);
        c.paint(Canvas.ellipse(0, 0, 15, 15, 2, 9), LIVER_HU, "liver");
        ExamVolume v = c.stored().volume();
        BiomarkerValue spleen = OrganHu.measure(v, "spleen");
        assertNull(spleen.value());
        assertTrue(spleen.reason().contains("not in the segmentation"));
        BiomarkerValue diff = OrganHu.difference(OrganHu.measure(v, "liver"), spleen);
        assertNull(diff.value());
        assertTrue(diff.reason().startsWith("spleen_hu is missing"), diff.reason());
    }

    @Test
    void organThinnerThanTheErosionIsNull() {
        Canvas c = new Canvas(60, 60, 12, 1, 1, 2, FAT_HU);
        c.paint(Canvas.ellipse(0, 0, 15, 15, 5, 6), SPLEEN_HU, "spleen"); // two slices thick
        BiomarkerValue spleen = OrganHu.measure(c.stored().volume(), "spleen");
        assertNull(spleen.value());
        assertTrue(spleen.reason().contains("after eroding"), spleen.reason());
    }
}
