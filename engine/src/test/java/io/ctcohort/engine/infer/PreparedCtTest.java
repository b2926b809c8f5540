package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.TestModels;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.ctcohort.engine.infer.SegmenterTestSupport.centres;
import static io.ctcohort.engine.infer.SegmenterTestSupport.randomCt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparedCtTest {
    /** prepare on one thread, segment on another (the prefetch's split): the labels of segment(ct). */
    @Test
    void preparedOnAnotherThreadSegmentsAsInOneCall() throws Exception {
        Segmenter seg = ModelHandles.open(TestModels.dir("pointwise5")).segmenter(Device.CPU);
        CtVolume ct = randomCt(new int[] {33, 21, 17}, new int[] {1, -2, 3}, seg.card().targetSpacingMm(),
                new Random(5), centres(seg.card()));
        PreparedCt[] prepared = new PreparedCt[1];
        Thread helper = new Thread(() -> prepared[0] = seg.prepare(ct));
        helper.start();
        helper.join();
        SegmentationResult split = seg.segment(prepared[0], 1);
        SegmentationResult whole = seg.segment(ct);
        LabelVolume a = split.labels();
        LabelVolume b = whole.labels();
        int nonBackground = 0;
        for (int i = 0; i < ct.geometry().voxelCount(); i++) {
            assertEquals(b.get(i), a.get(i), "voxel " + i);
            nonBackground += a.get(i) != 0 ? 1 : 0;
        }
        assertTrue(nonBackground > 0, "the test CT must hold structures");
        assertEquals(whole.stageMillis().keySet(), split.stageMillis().keySet());
        assertThrows(IllegalStateException.class, () -> seg.segment(prepared[0], 1), "a preparation is used once");
    }
}
