package io.ctcohort.engine.phantom;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.ModelHandles;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.model.BundledModels;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed demo model, run through the engine on a phantom it never saw, against the true label map. */
class DemoModelTest {
    private static final long FRESH_SEED = 314159;
    /** Floors well below the evaluate-model figures (see the model card), so the test is about the model working. */
    static final double MIN_MEAN_DICE = 0.90;
    static final double MIN_STRUCTURE_DICE = 0.80;

    @Test
    void demoModelSegmentsAFreshPhantom() {
        Segmenter segmenter = ModelHandles.open(BundledModels.demo()).segmenter(Device.CPU);
        JsonNode seeds = segmenter.card().training().get("cohort_seeds");
        assertNotNull(seeds, "the card records the training cohort seeds");
        for (JsonNode s : seeds) {
            assertNotEquals(FRESH_SEED, s.asLong(), "test phantom must be unseen in training");
        }
        assertEquals(PhantomStructures.LABELS, segmenter.labelMap().asMap(), "the model speaks TotalSegmentator indices");

        PhantomExam exam = new PhantomGenerator(FRESH_SEED).generate(0);
        var predicted = segmenter.segment(exam.ct()).labels();
        assertEquals(exam.ct().geometry(), predicted.geometry(), "labels come back in the CT's own grid");
        Map<String, SegmentationScore.StructureScore> scores =
                SegmentationScore.compute(exam.labels(), predicted, PhantomStructures.LABELS);
        double sum = 0;
        for (var s : scores.values()) {
            System.out.printf(Locale.ROOT, "%-18s dice %.4f volume error %+.2f %%%n", s.structure(), s.dice(),
                    100 * s.volumeError());
            assertTrue(s.dice() >= MIN_STRUCTURE_DICE, s.structure() + " dice " + s.dice());
            sum += s.dice();
        }
        double mean = sum / scores.size();
        System.out.printf(Locale.ROOT, "mean dice %.4f (%s, %s)%n", mean, exam.examId(), exam.ct().geometry());
        assertTrue(mean >= MIN_MEAN_DICE, "mean dice " + mean);
    }
}
