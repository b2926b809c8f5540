package io.ctcohort.engine.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridMatchTest {
    private static final double[] CT = {
        -0.7, 0, 0.02, 120.5,
        0, 0.7, 0, -33.25,
        0.01, 0, 2.5, 400,
        0, 0, 0, 1};

    private static Geometry grid(double[] affine, double... spacing) {
        return new Geometry(64, 48, 20, affine, spacing.length == 3 ? spacing : new double[] {0.7, 0.7, 2.5});
    }

    private static double[] with(int index, double delta) {
        double[] a = CT.clone();
        a[index] += delta;
        return a;
    }

    @Test
    void theSameGridAndFloatRoundingOfItMatch() {
        Geometry ct = grid(CT);
        assertNull(GridMatch.difference(ct, grid(CT)));
        double[] f = CT.clone();
        for (int i = 0; i < 12; i++) {
            f[i] = (float) f[i]; // a float32 NIfTI of a DICOM affine
        }
        f[3] += 2e-5;
        assertNull(GridMatch.difference(ct, grid(f)));
        assertNull(GridMatch.difference(ct, grid(with(3, 0.9e-3))), "inside the origin tolerance");
    }

    @Test
    void eachKindOfDifferenceIsNamed() {
        Geometry ct = grid(CT);
        assertTrue(GridMatch.difference(ct, new Geometry(64, 48, 21, CT, new double[] {0.7, 0.7, 2.5}))
                .startsWith("shape 64x48x21 vs the CT's 64x48x20"));
        assertTrue(GridMatch.difference(ct, grid(with(7, 1.1e-3))).startsWith("origin"), "1.1 um off");
        assertTrue(GridMatch.difference(ct, grid(CT, 0.7, 0.7001, 2.5)).startsWith("spacing along axis 1"),
                "stated spacing 1.4e-4 relative off");
        assertTrue(GridMatch.difference(ct, grid(with(0, -0.0001))).startsWith("spacing along axis 0"),
                "affine column 1.4e-4 relative longer");
        double[] rotated = CT.clone();
        rotated[4] = 0.7 * 2e-4; // column 0 tilts by 2e-4 towards y, same length
        rotated[0] = -Math.sqrt(0.49 - rotated[4] * rotated[4]);
        assertTrue(GridMatch.difference(ct, grid(rotated)).startsWith("direction of axis 0"));
        double[] flipped = CT.clone();
        flipped[5] = -0.7; // y axis points the other way: a mask written without reorienting back
        flipped[7] = CT[7] + 47 * 0.7; // same field of view, first voxel at the other end
        assertTrue(GridMatch.difference(ct, grid(flipped)).startsWith("origin"));
        flipped[7] = CT[7];
        assertTrue(GridMatch.difference(ct, grid(flipped)).startsWith("direction of axis 1"));
        double[] nan = CT.clone();
        nan[11] = Double.NaN;
        assertNotNull(GridMatch.difference(ct, grid(nan)), "NaN never matches");
    }

    @Test
    void requireNamesBothFilesAndCarriesAStableCode() {
        GridMismatchException e = assertThrows(GridMismatchException.class, () -> GridMatch.require(
                "s3a://b/ct/17.nii.gz", grid(CT), "s3a://b/seg/17.nii.gz", grid(with(3, 0.5))));
        assertTrue(e.getMessage().startsWith("s3a://b/seg/17.nii.gz: label map does not lie on the grid of the CT"
                + " s3a://b/ct/17.nii.gz: origin"), e.getMessage());
        assertTrue(e.getMessage().contains("0.500000 mm apart; tolerance 0.001 mm"), e.getMessage());
        assertEquals("GRID_MISMATCH", e.code());
    }
}
