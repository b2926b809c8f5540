package io.ctcohort.engine.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The statistics pass's label boxes equal boxes found voxel by voxel, and leave the statistics alone. */
class LabelBoxesTest {

    @Test
    void boxesOfRandomBlobsInUint8AndUint16Maps() {
        for (int maxLabel : new int[] {9, 300}) {
            Geometry g = Geometry.axisAligned(17, 13, 11, 1, 1, 1);
            LabelVolume labels = LabelVolume.allocate(g, maxLabel);
            CtVolume ct = CtVolume.allocate(g);
            Random rng = new Random(maxLabel);
            int[][] naive = new int[maxLabel + 1][];
            for (int i = 0; i < g.voxelCount(); i++) {
                int x = i % 17, y = i / 17 % 13, z = i / (17 * 13);
                int l = rng.nextDouble() < 0.7 ? 0 : 1 + (x / 5 + 3 * (y / 5) + 7 * (z / 4)) % maxLabel;
                if (maxLabel > 255 && l == 5) {
                    l = 299;
                }
                labels.set(i, l);
                ct.hu()[i] = (short) rng.nextInt(100);
                if (l != 0) {
                    int[] b = naive[l];
                    naive[l] = b == null ? new int[] {x, x, y, y, z, z} : new int[] {Math.min(b[0], x),
                            Math.max(b[1], x), Math.min(b[2], y), Math.max(b[3], y), Math.min(b[4], z), Math.max(b[5], z)};
                }
            }
            Map<Integer, String> names = new TreeMap<>();
            for (int l = 1; l <= maxLabel; l++) {
                names.put(l, "s" + l);
            }
            LabelMap map = LabelMap.of(names);
            LabelBoxes boxes = LabelBoxes.forLabels(labels);
            List<StructureStatistics> with = StatisticsCalculator.compute(ct, labels, map, boxes);
            assertEquals(StatisticsCalculator.compute(ct, labels, map), with);
            for (int l = 1; l <= maxLabel; l++) {
                if (naive[l] == null) {
                    assertNull(boxes.box(l), "label " + l);
                } else {
                    assertArrayEquals(naive[l], boxes.box(l), "label " + l);
                }
            }
        }
    }
}
