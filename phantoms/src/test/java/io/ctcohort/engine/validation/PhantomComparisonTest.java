package io.ctcohort.engine.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.phantom.PhantomExam;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.engine.phantom.PhantomStructures;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A synthetic exam held against its own true label map, the model's liver eroded by one voxel: the
 * eroded liver lies inside the true one, so its Dice is {@code 2|eroded| / (|eroded| + |true|)}; every
 * other structure agrees exactly, and the reference side is the calculator's statistics of the truth.
 */
class PhantomComparisonTest {
    @Test
    void erodedLiverHasTheDiceOfItsVoxelCountsAndTheRestAgree() {
        PhantomExam exam = new PhantomGenerator(42).generate(3);
        CtVolume ct = exam.ct();
        LabelVolume truth = exam.labels();
        LabelMap vocabulary = LabelMap.of(PhantomStructures.LABELS);
        LabelVolume model = erode(truth, PhantomStructures.LIVER);

        ExamValidation v = ReferenceComparison.compare(ct, model, vocabulary, truth, vocabulary, "truth.nii.gz");
        assertTrue(v.ok(), v.errorMessage());
        List<StructureStatistics> reference = StatisticsCalculator.compute(ct, truth, vocabulary);
        assertEquals(reference.size(), v.structures().size());
        int present = 0;
        for (int i = 0; i < reference.size(); i++) {
            StructureAgreement a = v.structures().get(i);
            assertEquals(reference.get(i), a.reference());
            if (a.label() == PhantomStructures.LIVER) {
                long eroded = a.model().voxelCount();
                long all = a.reference().voxelCount();
                assertTrue(eroded > 0 && eroded < all, eroded + " of " + all);
                assertEquals(eroded, a.overlapVoxels());
                assertEquals(2.0 * eroded / (eroded + all), a.dice(), 1e-15);
                assertTrue(a.dice() < 0.95, "one voxel off a liver's surface: Dice " + a.dice());
            } else if (a.reference().present()) {
                present++;
                assertEquals(1.0, a.dice());
                assertEquals(a.reference(), a.model());
            }
        }
        assertTrue(present > 10, present + " structures present");
    }

    /**
     * evaluate-model scores a prediction with {@code SegmentationScore} (engine.phantom), the
     * validation table with {@link ReferenceComparison}: on the same pair of masks (two structures
     * eroded, one a voxel smaller than the other) both give the same Dice, exactly, structure by structure.
     */
    @Test
    void evaluateModelsDiceEqualsTheValidationTables() {
        PhantomExam exam = new PhantomGenerator(7).generate(1);
        LabelVolume truth = exam.labels();
        LabelVolume model = erode(erode(truth, PhantomStructures.LIVER), PhantomStructures.SPLEEN);
        LabelMap vocabulary = LabelMap.of(PhantomStructures.LABELS);
        ExamValidation v = ReferenceComparison.compare(exam.ct(), model, vocabulary, truth, null, "truth.nii.gz");
        assertTrue(v.ok(), v.errorMessage());
        java.util.Map<String, io.ctcohort.engine.phantom.SegmentationScore.StructureScore> scores =
                io.ctcohort.engine.phantom.SegmentationScore.compute(truth, model, PhantomStructures.LABELS);
        assertEquals(scores.size(), v.structures().size());
        int below1 = 0;
        for (StructureAgreement a : v.structures()) {
            double evaluated = scores.get(a.structure()).dice();
            assertEquals(Double.doubleToLongBits(evaluated), Double.doubleToLongBits(a.dice()),
                    a.structure() + ": evaluate-model " + evaluated + ", validation " + a.dice());
            below1 += a.dice() < 1 ? 1 : 0;
        }
        assertEquals(2, below1, "the two eroded structures score below 1");
    }

    /** The map with {@code label} kept only where its 6 neighbours are {@code label} too. */
    static LabelVolume erode(LabelVolume in, int label) {
        Geometry g = in.geometry();
        LabelVolume out = LabelVolume.allocate(g, in.capacity());
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int l = in.get(x, y, z);
                    boolean keep = l != label || (x > 0 && x < g.nx() - 1 && y > 0 && y < g.ny() - 1 && z > 0
                            && z < g.nz() - 1 && in.get(x - 1, y, z) == label && in.get(x + 1, y, z) == label
                            && in.get(x, y - 1, z) == label && in.get(x, y + 1, z) == label
                            && in.get(x, y, z - 1) == label && in.get(x, y, z + 1) == label);
                    out.set(g.index(x, y, z), keep ? l : 0);
                }
            }
        }
        return out;
    }
}
