package io.ctcohort.engine.stats;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-pass histogram statistics against a brute-force computation per label (Commons Math). */
class StatisticsCalculatorTest {

    /** Brute force: collect each label's values, then Commons Math (R-7 = numpy 'linear'; population SD). */
    static void assertMatchesBruteForce(CtVolume ct, LabelVolume labels, LabelMap map) {
        List<StructureStatistics> got = StatisticsCalculator.compute(ct, labels, map);
        assertEquals(map.size(), got.size());
        Geometry g = ct.geometry();
        int k = 0;
        for (Map.Entry<Integer, String> e : map.asMap().entrySet()) {
            StructureStatistics s = got.get(k++);
            assertEquals(e.getKey(), s.label());
            assertEquals(e.getValue(), s.structure());
            List<Double> v = new ArrayList<>();
            boolean border = false;
            for (int z = 0; z < g.nz(); z++) {
                for (int y = 0; y < g.ny(); y++) {
                    for (int x = 0; x < g.nx(); x++) {
                        if (labels.get(x, y, z) == e.getKey()) {
                            v.add((double) ct.get(x, y, z));
                            border |= x < 3 || y < 3 || z < 3 || x >= g.nx() - 3 || y >= g.ny() - 3 || z >= g.nz() - 3;
                        }
                    }
                }
            }
            double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(a.length, s.voxelCount(), s.structure());
            assertEquals(border, s.touchesBorder(), s.structure());
            if (a.length == 0) {
                assertEquals(StructureStatistics.absent(e.getKey(), e.getValue()), s);
                continue;
            }
            Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
            assertEquals(a.length * g.voxelVolumeMm3() / 1000, s.volumeMl(), 1e-12);
            assertEquals(new Mean().evaluate(a), s.huMean(), 1e-9, s.structure());
            assertEquals(new StandardDeviation(false).evaluate(a), s.huStd(), 1e-9, s.structure());
            assertEquals(p.evaluate(a, 50), s.huMedian(), 1e-9, s.structure());
            assertEquals(p.evaluate(a, 5), s.huP05(), 1e-9, s.structure());
            assertEquals(p.evaluate(a, 95), s.huP95(), 1e-9, s.structure());
        }
    }

    static LabelMap numbered(int... labels) {
        Map<Integer, String> m = new TreeMap<>();
        for (int l : labels) {
            m.put(l, "s" + l);
        }
        return LabelMap.of(m);
    }

    @Test
    void randomVolumesMatchBruteForce() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 6; trial++) {
            Geometry g = Geometry.axisAligned(7 + trial, 9, 8 + 2 * trial, 0.8, 0.8, 1.5);
            CtVolume ct = CtVolume.allocate(g);
            LabelVolume labels = LabelVolume.allocate(g, trial % 2 == 0 ? 12 : 4000);
            for (int i = 0; i < ct.hu().length; i++) {
                // wide HU (full int16 on some voxels) so many histogram pages are used
                ct.hu()[i] = (short) (rnd.nextInt(10) == 0 ? rnd.nextInt(65536) - 32768 : rnd.nextInt(2000) - 1000);
            }
            // label blobs: one interior cube (no border contact) plus random voxels
            for (int i = 0; i < ct.hu().length; i++) {
                if (rnd.nextInt(3) == 0) {
                    labels.set(i, trial % 2 == 0 ? 1 + rnd.nextInt(10) : 300 + rnd.nextInt(5) * 700);
                }
            }
            for (int z = 3; z < 5; z++) {
                for (int y = 3; y < 5; y++) {
                    for (int x = 3; x < 5; x++) {
                        labels.set(g.index(x, y, z), 11);
                    }
                }
            }
            LabelMap map = trial % 2 == 0 ? numbered(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
                    : numbered(11, 300, 1000, 1700, 2400, 3100, 3999);
            assertMatchesBruteForce(ct, labels, map);
        }
    }

    @Test
    void interiorStructureDoesNotTouchTheBorderButOnePlaneCloserDoes() {
        Geometry g = Geometry.axisAligned(10, 10, 10, 1, 1, 1);
        CtVolume ct = CtVolume.allocate(g);
        LabelVolume l = LabelVolume.allocate(g, 3);
        l.set(g.index(3, 3, 3), 1);     // index 3: first plane not in the border
        l.set(g.index(6, 6, 6), 1);     // n - 4 = 6: last plane not in the border
        l.set(g.index(5, 2, 5), 2);     // y = 2 is within 3 planes of the y = 0 face
        l.set(g.index(5, 5, 7), 3);     // z = 7 = n - 3 is within 3 planes of the far z face
        List<StructureStatistics> s = StatisticsCalculator.compute(ct, l, numbered(1, 2, 3));
        assertFalse(s.get(0).touchesBorder());
        assertTrue(s.get(1).touchesBorder());
        assertTrue(s.get(2).touchesBorder());
    }

    @Test
    void smallCountsAndTiesFollowNumpy() {
        // numpy: percentile([5], q) = 5; [1, 2]: p05 = 1.05, median 1.5, p95 = 1.95
        Geometry g = Geometry.axisAligned(3, 1, 1, 1, 1, 1);
        CtVolume ct = new CtVolume(g, new short[] {5, 1, 2});
        LabelVolume l = LabelVolume.ofUInt8(g, new byte[] {1, 2, 2});
        List<StructureStatistics> s = StatisticsCalculator.compute(ct, l, numbered(1, 2));
        assertEquals(5.0, s.get(0).huP05());
        assertEquals(5.0, s.get(0).huP95());
        assertEquals(0.0, s.get(0).huStd());
        assertEquals(1.05, s.get(1).huP05(), 1e-12);
        assertEquals(1.5, s.get(1).huMedian());
        assertEquals(1.95, s.get(1).huP95(), 1e-12);
        assertEquals(0.5, s.get(1).huStd()); // population std (ddof = 0)
    }

    @Test
    void labelsMissingFromTheMapAreIgnoredAndGridsMustMatch() {
        Geometry g = Geometry.axisAligned(4, 4, 4, 1, 1, 1);
        LabelVolume l = LabelVolume.allocate(g, 9);
        l.set(0, 9);
        List<StructureStatistics> s = StatisticsCalculator.compute(CtVolume.allocate(g), l, numbered(1));
        assertEquals(1, s.size());
        assertFalse(s.get(0).present());
        Geometry other = Geometry.axisAligned(4, 4, 5, 1, 1, 1);
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> StatisticsCalculator.compute(CtVolume.allocate(other), l, numbered(1)));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
    }

    /**
     * statistics.json's volume is count x float32 voxel volume, in float64, as TotalSegmentator computes
     * it: at 0.8 x 0.8 x 1 mm, 102397 voxels give 65534.08463853598, while volume_ml x 1000 gives
     * 65534.08463853597.
     */
    @Test
    void jsonVolumeIsCountTimesVoxelVolumeToTheLastDigit() throws Exception {
        Geometry g = Geometry.axisAligned(64, 64, 25, 0.8, 0.8, 1.0);
        LabelVolume l = LabelVolume.allocate(g, 1);
        int n = 102397;
        for (int i = 0; i < n; i++) {
            l.set(i, 1);
        }
        List<StructureStatistics> s = StatisticsCalculator.compute(CtVolume.allocate(g), l, numbered(1));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        StatisticsJson.write(s, true, false, out);
        double volume = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray())
                .get(s.get(0).structure()).get("volume").asDouble();
        assertEquals(n * g.voxelVolumeMm3(), volume, 0.0);
        assertEquals(65534.08463853598, volume, 0.0);
    }
}
