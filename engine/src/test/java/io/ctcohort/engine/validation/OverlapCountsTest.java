package io.ctcohort.engine.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Counts by hand on ten voxels, through the byte loop (both maps uint8) and the general one (a uint16 map). */
class OverlapCountsTest {
    private static final Geometry GRID = Geometry.axisAligned(10, 1, 1, 1, 1, 1);
    private static final int[] MODEL = {1, 1, 1, 0, 0, 0, 52, 52, 52, 1};
    private static final int[] REFERENCE = {1, 1, 1, 1, 0, 0, 52, 52, 0, 300};

    @Test
    void countsEachLabelOnBothSidesAndTheirOverlap() {
        LabelVolume reference16 = uint16(REFERENCE);
        LabelVolume referenceWithout300 = uint8(new int[] {1, 1, 1, 1, 0, 0, 52, 52, 0, 7});
        for (OverlapCounts c : List.of(OverlapCounts.count(uint8(MODEL), referenceWithout300),
                OverlapCounts.count(uint8(MODEL), reference16), OverlapCounts.count(uint16(MODEL), reference16))) {
            assertEquals(3, c.overlap(1));
            assertEquals(4, c.model(1));
            assertEquals(4, c.reference(1));
            assertEquals(2, c.overlap(52));
            assertEquals(3, c.model(52));
            assertEquals(2, c.reference(52));
            assertEquals(2, c.overlap(0));
            assertEquals(3, c.model(0));
            assertEquals(3, c.reference(0));
            assertEquals(0, c.model(5));
            assertEquals(0, c.overlap(70_000), "a label beyond either map's capacity: none");
        }
        OverlapCounts wide = OverlapCounts.count(uint8(MODEL), reference16);
        assertEquals(1, wide.reference(300));
        assertEquals(0, wide.model(300));
        assertEquals(List.of(300), wide.referenceLabelsOutside(Set.of(1, 52)));
        assertEquals(List.of(7), OverlapCounts.count(uint8(MODEL), referenceWithout300).referenceLabelsOutside(Set.of(1, 52)));
    }

    private static LabelVolume uint8(int[] labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            b[i] = (byte) labels[i];
        }
        return LabelVolume.ofUInt8(GRID, b);
    }

    private static LabelVolume uint16(int[] labels) {
        short[] s = new short[labels.length];
        for (int i = 0; i < labels.length; i++) {
            s[i] = (short) labels[i];
        }
        return LabelVolume.ofUInt16(GRID, s);
    }
}
