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

    @Test
    void equalsTheMeanAfterThreeCrossErosionsInEveryOrientation() {
        // a ragged blob with holes, touching the volume's first slice: the one-pass erosion must
        // give exactly the mean after three plain 6-connected erosions (scipy's binary_erosion)
        java.util.Random rng = new java.util.Random(5);
        Canvas c = new Canvas(23, 19, 17, 1, 1, 1, FAT_HU);
        int liver = Canvas.label("liver");
        int w = c.nx, d = c.ny, h = c.nz;
        for (int i = 0; i < c.hu.length; i++) {
            int x = i % w, y = i / w % d, z = i / (w * d);
            double r = Math.sqrt((x - 11) * (x - 11) + (y - 9) * (y - 9) + 0.5 * (z - 4) * (z - 4));
            if (r < 8 + 2 * rng.nextDouble() && rng.nextDouble() > 0.03) {
                c.labels[i] = (byte) liver;
                c.hu[i] = (short) (LIVER_HU + rng.nextInt(200) - 100);
            }
        }
        boolean[] m = new boolean[c.hu.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = c.labels[i] == liver;
        }
        for (int k = 0; k < 3; k++) {
            boolean[] out = new boolean[m.length];
            for (int i = 0; i < m.length; i++) {
                int x = i % w, y = i / w % d, z = i / (w * d);
                out[i] = m[i] && x > 0 && x < w - 1 && y > 0 && y < d - 1 && z > 0 && z < h - 1
                        && m[i - 1] && m[i + 1] && m[i - w] && m[i + w] && m[i - w * d] && m[i + w * d];
            }
            m = out;
        }
        long sum = 0;
        int n = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i]) {
                sum += c.hu[i];
                n++;
            }
        }
        assertTrue(n > 50, "the erosion leaves a core: " + n);
        assertEquals((double) sum / n, OrganHu.measure(c.stored().volume(), "liver").value(), 1e-9);
        assertEquals((double) sum / n, OrganHu.measure(c.lps().volume(), "liver").value(), 1e-9);
    }
}
