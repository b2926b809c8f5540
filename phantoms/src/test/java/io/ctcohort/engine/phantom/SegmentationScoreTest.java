package io.ctcohort.engine.phantom;

import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentationScoreTest {
    @Test
    void diceAndVolumeErrorByHand() {
        Geometry g = Geometry.axisAligned(10, 1, 1, 1, 1, 1);
        LabelVolume truth = LabelVolume.ofUInt8(g, new byte[] {1, 1, 1, 1, 0, 0, 52, 52, 0, 0});
        LabelVolume pred = LabelVolume.ofUInt8(g, new byte[] {1, 1, 1, 0, 0, 0, 52, 52, 52, 1});
        var s = SegmentationScore.compute(truth, pred, Map.of(1, "spleen", 52, "aorta", 5, "liver"));
        // spleen: truth 4, predicted 4 (one elsewhere), overlap 3 -> 6/8
        assertEquals(0.75, s.get("spleen").dice(), 1e-12);
        assertEquals(0.0, s.get("spleen").volumeError(), 1e-12);
        // aorta: truth 2, predicted 3, overlap 2 -> 4/5, volume +50 %
        assertEquals(0.8, s.get("aorta").dice(), 1e-12);
        assertEquals(0.5, s.get("aorta").volumeError(), 1e-12);
        assertTrue(Double.isNaN(s.get("liver").dice()));
        assertThrows(IllegalArgumentException.class, () -> SegmentationScore.compute(truth,
                LabelVolume.allocate(Geometry.axisAligned(5, 2, 1, 1, 1, 1), 255), Map.of(1, "spleen")));
    }

    @Test
    void summaryTakesMeanDiceAndMedianAbsoluteVolumeError() {
        var a = new ModelEvaluation.ExamResult("a", Map.of("x", new SegmentationScore.StructureScore("x", 100, 110, 90)), 1);
        var b = new ModelEvaluation.ExamResult("b", Map.of("x", new SegmentationScore.StructureScore("x", 100, 98, 96)), 1);
        var c = new ModelEvaluation.ExamResult("c", Map.of("x", new SegmentationScore.StructureScore("x", 100, 70, 70)), 1);
        var s = ModelEvaluation.summarize(java.util.List.of(a, b, c));
        double mean = (180.0 / 210 + 192.0 / 198 + 140.0 / 170) / 3;
        assertEquals(mean, s.meanDice().get("x"), 1e-12);
        assertEquals(0.10, s.medianAbsVolumeErrorOverall(), 1e-12);
        assertEquals(0.2, ModelEvaluation.median(new double[] {0.3, 0.0, 0.4, 0.1}), 1e-12, "even count");
        assertTrue(Double.isNaN(ModelEvaluation.median(new double[0])), "no values");
    }
}
