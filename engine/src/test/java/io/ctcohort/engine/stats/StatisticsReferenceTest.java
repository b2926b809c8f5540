package io.ctcohort.engine.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our statistics of TotalSegmentator's example exam against its own statistics.json (computed with
 * the border rule off) and against numpy.
 */
class StatisticsReferenceTest {
    static ExampleExam exam;
    static List<StructureStatistics> stats;
    static JsonNode reference;

    @BeforeAll
    static void compute() throws Exception {
        exam = ExampleExam.load();
        stats = StatisticsCalculator.compute(exam.ct(), exam.seg(), LabelMap.total());
        reference = new ObjectMapper().readTree(
                TestData.totalSegmentator("example_seg_fast_statistics.json").toFile());
    }

    static JsonNode json(boolean includeIncomplete, boolean extra) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StatisticsJson.write(stats, includeIncomplete, extra, out);
        return new ObjectMapper().readTree(out.toByteArray());
    }

    static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void includeIncompleteReproducesTotalSegmentatorsStatistics() throws Exception {
        JsonNode ours = json(true, false);
        assertEquals(117, reference.size());
        assertEquals(keys(reference), keys(ours), "same structures in the same (label) order");
        for (Iterator<Map.Entry<String, JsonNode>> it = reference.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode o = ours.get(e.getKey());
            assertEquals(e.getValue().get("volume").asDouble(), o.get("volume").asDouble(), 0.0,
                    e.getKey() + " volume");
            assertEquals(e.getValue().get("intensity").asDouble(), o.get("intensity").asDouble(), 1e-4,
                    e.getKey() + " intensity");
        }
    }

    /** The border set computed independently: any label value on the 3 outermost planes of each face. */
    static Set<Integer> labelsNearFaces(LabelVolume seg) {
        int nx = seg.geometry().nx();
        int ny = seg.geometry().ny();
        int nz = seg.geometry().nz();
        Set<Integer> s = new TreeSet<>();
        for (int d = 0; d < 3; d++) {
            for (int a = 0; a < ny; a++) { // faces x = d and x = nx-1-d
                for (int b = 0; b < nz; b++) {
                    s.add(seg.get(d, a, b));
                    s.add(seg.get(nx - 1 - d, a, b));
                }
            }
            for (int a = 0; a < nx; a++) { // faces y
                for (int b = 0; b < nz; b++) {
                    s.add(seg.get(a, d, b));
                    s.add(seg.get(a, ny - 1 - d, b));
                }
            }
            for (int a = 0; a < nx; a++) { // faces z
                for (int b = 0; b < ny; b++) {
                    s.add(seg.get(a, b, d));
                    s.add(seg.get(a, b, nz - 1 - d));
                }
            }
        }
        s.remove(0);
        return s;
    }

    @Test
    void withoutTheFlagExactlyTheBorderTouchingStructuresGetZero() throws Exception {
        Set<Integer> border = labelsNearFaces(exam.seg());
        assertEquals(35, border.size()); // numpy, TotalSegmentator's touches_border(): 35 of 40 present
        JsonNode ours = json(false, false);
        LabelMap map = LabelMap.total();
        int zeroedPresent = 0;
        for (StructureStatistics s : stats) {
            JsonNode o = ours.get(s.structure());
            JsonNode r = reference.get(s.structure());
            assertEquals(border.contains(s.label()), s.touchesBorder(), s.structure());
            if (border.contains(s.label())) {
                assertEquals(0.0, o.get("volume").asDouble(), s.structure());
                assertEquals(0.0, o.get("intensity").asDouble(), s.structure());
                assertTrue(r.get("volume").asDouble() > 0, "reference has it: " + s.structure());
                zeroedPresent++;
            } else {
                assertEquals(r.get("volume").asDouble(), o.get("volume").asDouble(), 0.0, s.structure());
                assertEquals(r.get("intensity").asDouble(), o.get("intensity").asDouble(), 1e-4, s.structure());
            }
            assertEquals(map.name(s.label()), s.structure());
        }
        assertEquals(35, zeroedPresent);
        assertEquals(5, stats.stream().filter(s -> s.present() && !s.touchesBorder()).count());
    }

    /** Values printed once by numpy 2.4.6 over ct[seg == k] (ct = get_fdata().astype(int16)). */
    @Test
    void huStatisticsMatchNumpy() {
        check(1, 9630, 33.05908618899273, 16.032992269604012, 35.0, 5.4500000000000455, 56.0);
        check(5, 39350, 44.858551461245234, 15.869418455642505, 46.0, 19.0, 67.0);
        check(8, 175, 0.33714285714285713, 24.558630554122466, 2.0, -46.0, 38.29999999999998);
        check(98, 100, 173.7, 74.61507890500418, 184.5, 45.95, 283.59999999999997);
        check(111, 139, 211.8273381294964, 117.52917458455137, 226.0, -1.099999999999996, 384.29999999999995);
        check(115, 76, 255.14473684210526, 84.37755125926383, 240.0, 142.5, 400.75);
        StructureStatistics brain = stats.stream().filter(s -> s.structure().equals("brain")).findFirst().orElseThrow();
        assertEquals(0, brain.voxelCount());
        assertTrue(Double.isNaN(brain.huMean()) && Double.isNaN(brain.huP95()));
        assertFalse(brain.touchesBorder());
    }

    private static void check(int label, long n, double mean, double std, double median, double p05, double p95) {
        StructureStatistics s = stats.get(label - 1);
        assertEquals(label, s.label());
        assertEquals(n, s.voxelCount());
        assertEquals(n * 27.0 / 1000.0, s.volumeMl(), 1e-12);
        assertEquals(mean, s.huMean(), 1e-12, s.structure() + " mean");
        assertEquals(std, s.huStd(), 1e-9, s.structure() + " std");
        assertEquals(median, s.huMedian(), 0.0, s.structure() + " median");
        assertEquals(p05, s.huP05(), 0.0, s.structure() + " p05");
        assertEquals(p95, s.huP95(), 0.0, s.structure() + " p95");
    }

    @Test
    void extraFieldsCarryTheMeasuredValues() throws Exception {
        JsonNode ours = json(false, true);
        JsonNode liver = ours.get("liver");
        assertEquals(0.0, liver.get("volume").asDouble()); // liver touches the border
        assertTrue(liver.get("touches_border").asBoolean());
        assertEquals(39350, liver.get("voxel_count").asLong());
        assertEquals(1062.45, liver.get("volume_ml").asDouble(), 1e-9);
        assertEquals(19.0, liver.get("hu_p05").asDouble());
        assertEquals(5, liver.get("label").asInt());
        assertTrue(ours.get("brain").get("hu_mean").isNull());
    }
}
