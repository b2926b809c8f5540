package io.ctcohort.engine.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison on slabs whose answer is counted by hand: on a 10x10x10 grid of 2 mm voxels
 * (8 mm^3) with HU = 10 x (x index), the model's liver is the slab x 0..4, the reference's x 2..6.
 */
class ReferenceComparisonTest {
    static final LabelMap VOCABULARY = LabelMap.of(Map.of(1, "liver", 2, "spleen", 3, "pancreas"));
    static final Geometry GRID = Geometry.axisAligned(10, 10, 10, 2, 2, 2);

    static CtVolume ct() {
        CtVolume ct = CtVolume.allocate(GRID);
        for (int z = 0; z < 10; z++) {
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    ct.hu()[GRID.index(x, y, z)] = (short) (10 * x);
                }
            }
        }
        return ct;
    }

    /** Label {@code label} on the slab x in [x0, x1] of a map of the given capacity. */
    static LabelVolume slab(Geometry g, int maxLabel, int label, int x0, int x1) {
        LabelVolume v = LabelVolume.allocate(g, maxLabel);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = x0; x <= x1; x++) {
                    v.set(g.index(x, y, z), label);
                }
            }
        }
        return v;
    }

    static LabelVolume model() {
        LabelVolume m = slab(GRID, 3, 1, 0, 4);
        m.set(GRID.index(9, 9, 9), 2); // a spleen voxel the reference lacks: Dice 0
        return m;
    }

    @Test
    void diceAndBothSidesMeasurementsAreTheHandCountedOnes() {
        for (int capacity : new int[] {255, 1000}) { // the uint8 fast path and the generic one
            ExamValidation v = ReferenceComparison.compare(ct(), model(), VOCABULARY, slab(GRID, capacity, 1, 2, 6),
                    null, "ref.nii.gz");
            assertTrue(v.ok(), v.errorMessage());
            assertEquals(3, v.structures().size());
            StructureAgreement liver = v.structures().get(0);
            assertEquals("liver", liver.structure());
            assertEquals(300, liver.overlapVoxels()); // x 2..4: 3 x 10 x 10
            assertEquals(0.6, liver.dice(), 1e-12); // 2 x 300 / (500 + 500)
            assertEquals(4.0, liver.model().volumeMl(), 1e-12); // 500 x 8 mm^3
            assertEquals(4.0, liver.reference().volumeMl(), 1e-12);
            assertEquals(20.0, liver.model().huMean(), 1e-12); // mean of 10 x {0..4}
            assertEquals(40.0, liver.reference().huMean(), 1e-12); // mean of 10 x {2..6}
            StructureAgreement spleen = v.structures().get(1);
            assertEquals(0.0, spleen.dice());
            assertEquals(1, spleen.model().voxelCount());
            assertEquals(0, spleen.reference().voxelCount());
            StructureAgreement pancreas = v.structures().get(2);
            assertTrue(Double.isNaN(pancreas.dice()));
            Map<String, Object> row = pancreas.columns();
            assertNull(row.get("dice"));
            assertNull(row.get("hu_mean_reference"));
            Map<String, Object> liverRow = liver.columns();
            assertEquals(0.6, (Double) liverRow.get("dice"), 1e-12);
            assertEquals(40.0, (Double) liverRow.get("hu_mean_reference"), 1e-12);
            assertEquals(20.0, (Double) liverRow.get("hu_mean"), 1e-12);
            assertEquals(500L, liverRow.get("voxel_count_reference"));
        }
    }

    @Test
    void identicalMapsAgreeExactly() {
        ExamValidation v = ReferenceComparison.compare(ct(), model(), VOCABULARY, model(), VOCABULARY, "ref");
        assertTrue(v.ok());
        assertEquals(1.0, v.structures().get(0).dice());
        assertEquals(v.structures().get(0).model(), v.structures().get(0).reference());
    }

    @Test
    void referenceOnAnotherGridFailsWithItsCode() {
        double[] shifted = GRID.affine();
        shifted[3] += 1.0; // origin 1 mm off along x
        Geometry other = new Geometry(10, 10, 10, shifted, GRID.spacing());
        ExamValidation v = ReferenceComparison.compare(ct(), model(), VOCABULARY, slab(other, 3, 1, 2, 6), null,
                "s3a://bucket/ref-7.nii.gz");
        assertFalse(v.ok());
        assertTrue(v.structures().isEmpty());
        assertEquals(ReferenceMismatchException.class.getName() + ":REFERENCE_GRID_MISMATCH", v.errorClass());
        assertTrue(v.errorMessage().startsWith("s3a://bucket/ref-7.nii.gz: "), v.errorMessage());
        assertTrue(v.errorMessage().contains("origin"), v.errorMessage());

        ExamValidation shape = ReferenceComparison.compare(ct(), model(), VOCABULARY,
                slab(Geometry.axisAligned(10, 10, 9, 2, 2, 2), 3, 1, 2, 6), null, "ref");
        assertTrue(shape.errorClass().endsWith(":REFERENCE_GRID_MISMATCH"), shape.errorClass());
        assertTrue(shape.errorMessage().contains("shape"), shape.errorMessage());
    }

    @Test
    void referenceLabelsTheModelDoesNotKnowFailWithTheirCode() {
        LabelVolume ref = slab(GRID, 3, 1, 2, 6);
        ref.set(GRID.index(0, 0, 0), 7);
        ExamValidation v = ReferenceComparison.compare(ct(), model(), VOCABULARY, ref, null, "ref.nii.gz");
        assertEquals(ReferenceMismatchException.class.getName() + ":REFERENCE_UNKNOWN_LABELS", v.errorClass());
        assertTrue(v.errorMessage().contains("[7]"), v.errorMessage());
    }

    @Test
    void aDeclaredVocabularyOtherThanTheModelsFailsWithItsCode() {
        LabelMap renamed = LabelMap.of(Map.of(1, "liver", 2, "kidney_left", 3, "pancreas"));
        ExamValidation v = ReferenceComparison.compare(ct(), model(), VOCABULARY, slab(GRID, 3, 1, 2, 6), renamed,
                "ref.nii.gz");
        assertEquals(ReferenceMismatchException.class.getName() + ":REFERENCE_VOCABULARY_MISMATCH", v.errorClass());
        assertTrue(v.errorMessage().contains("label 2 is 'kidney_left' in the reference, 'spleen' in the model"),
                v.errorMessage());
    }

    @Test
    void aMissingReferenceIsAFailedValidationNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-ref.nii.gz");
        Exception e = assertThrows(Exception.class, () -> NiftiReader.read(missing));
        ExamValidation v = ExamValidation.failed(e);
        assertFalse(v.ok());
        assertTrue(v.errorClass().endsWith(":FILE_NOT_FOUND"), v.errorClass());
        assertTrue(v.errorMessage().contains("no-such-ref.nii.gz"), v.errorMessage());
    }

    @Test
    void aModelMapOffTheCtsGridIsACallersBug() {
        LabelVolume offGrid = slab(Geometry.axisAligned(10, 10, 9, 2, 2, 2), 3, 1, 0, 4);
        assertThrows(RuntimeException.class, () -> ReferenceComparison.compare(ct(), offGrid, VOCABULARY,
                java.util.List.of(), model(), null, "ref"));
    }
}
