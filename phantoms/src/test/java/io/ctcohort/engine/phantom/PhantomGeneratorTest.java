package io.ctcohort.engine.phantom;

import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PhantomGeneratorTest {

    @Test
    void sameSeedGivesIdenticalVoxelsAndOtherSeedsDiffer() {
        PhantomExam a = new PhantomGenerator(11).generate(3);
        PhantomExam b = new PhantomGenerator(11).generate(3);
        assertEquals(a.ct().geometry(), b.ct().geometry());
        assertArrayEquals(a.ct().hu(), b.ct().hu());
        assertArrayEquals(a.labels().uint8(), b.labels().uint8());
        assertEquals(a.demographics(), b.demographics());

        PhantomExam otherSeed = new PhantomGenerator(12).generate(3);
        PhantomExam otherIndex = new PhantomGenerator(11).generate(4);
        for (PhantomExam o : new PhantomExam[] {otherSeed, otherIndex}) {
            assertFalse(o.ct().geometry().equals(a.ct().geometry())
                    && java.util.Arrays.equals(o.ct().hu(), a.ct().hu()), "different exams must differ");
            assertNotEquals(a.truth("liver").voxelCount(), o.truth("liver").voxelCount());
        }
    }

    @Test
    void truthOnlyHasTheSameLabelsAsTheRenderedExam() {
        PhantomGenerator g = new PhantomGenerator(5);
        PhantomExam full = g.generate(2);
        PhantomExam truth = g.truthOnly(2);
        assertNull(truth.ct());
        assertEquals(full.demographics(), truth.demographics());
        assertEquals(full.phase(), truth.phase());
        assertEquals(full.biomarkers(), truth.biomarkers(), "biomarker truth is counted on the noise-free image");
        for (StructureTruth t : full.truth()) {
            StructureTruth u = truth.truth(t.structure());
            assertEquals(t.voxelCount(), u.voxelCount(), t.structure());
            assertEquals(t.huMeanClean(), u.huMeanClean(), 1e-9, t.structure());
            assertTrue(Double.isNaN(u.huMean()));
        }
    }

    @Test
    void labelsAreTotalSegmentatorIndicesAndTruthMatchesTheStatisticsEngine() {
        LabelMap total = LabelMap.total();
        PhantomStructures.LABELS.forEach((label, name) -> assertEquals(name, total.name(label), "label " + label));
        PhantomExam e = new PhantomGenerator(21).generate(0);
        Set<Integer> present = new HashSet<>();
        byte[] lab = e.labels().uint8();
        for (byte v : lab) {
            present.add(v & 0xFF);
        }
        present.remove(0);
        assertEquals(PhantomStructures.LABELS.keySet(), present, "every structure painted, nothing else");

        // truth.csv numbers are what StatisticsCalculator reports for the true mask on the CT.
        Map<String, StructureStatistics> stats = StatisticsCalculator.compute(e.ct(), e.labels(), total).stream()
                .collect(Collectors.toMap(StructureStatistics::structure, Function.identity()));
        for (StructureTruth t : e.truth()) {
            StructureStatistics s = stats.get(t.structure());
            assertEquals(t.voxelCount(), s.voxelCount(), t.structure());
            assertEquals(t.volumeMl(), s.volumeMl(), 1e-9, t.structure());
            assertEquals(t.huMean(), s.huMean(), 1e-6, t.structure());
            assertEquals(t.touchesBorder(), s.touchesBorder(), t.structure());
        }
    }

    @Test
    void plausibleSizesIntensitiesAndGeometry() {
        PhantomGenerator g = new PhantomGenerator(99);
        Set<String> orientations = new HashSet<>();
        Set<Double> slices = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            PhantomExam e = g.truthOnly(i);
            orientations.add(e.orientation());
            if (e.cutTop()) {
                continue;
            }
            double liver = e.truth("liver").volumeMl();
            assertTrue(liver > 700 && liver < 3000, "liver volume " + liver);
            double kidney = e.truth("kidney_left").volumeMl();
            assertTrue(kidney > 35 && kidney < 350, "kidney volume " + kidney);
            // Blood stays in the range the demo model was trained on, whatever the phase (AnatomySampler).
            assertTrue(e.truth("aorta").huMeanClean() >= 150, "aorta " + e.phase());
            assertTrue(e.truth("vertebrae_L3").huMeanClean() > e.truth("liver").huMeanClean(), "bone brighter than liver");
        }
        for (int i = 0; i < 12; i++) {
            Geometry geo = g.generate(i).ct().geometry();
            double[] sp = geo.spacing();
            double slice = java.util.Arrays.stream(sp).max().orElseThrow();
            slices.add(slice);
            double inPlane = java.util.Arrays.stream(sp).min().orElseThrow();
            assertTrue(inPlane >= 1.1 && inPlane <= 2.5, "in-plane spacing " + inPlane);
            assertTrue(slice >= 1.5 && slice <= 5, "slice thickness " + slice);
        }
        assertTrue(orientations.size() >= 3, "orientations vary: " + orientations);
        assertTrue(slices.size() >= 2, "slice thickness varies: " + slices);
    }

    @Test
    void borderCutExamsReallyTouchTheBorderAndOthersDoNot() {
        PhantomGenerator g = new PhantomGenerator(7);
        int cutTop = 0;
        int cutBottom = 0;
        int whole = 0;
        for (int i = 0; i < 60; i++) {
            PhantomExam e = g.truthOnly(i);
            boolean liver = e.truth("liver").touchesBorder();
            boolean hips = e.truth("hip_left").touchesBorder() || e.truth("hip_right").touchesBorder();
            assertEquals(e.cutTop(), liver, e.examId() + ": liver touches the border iff the top is cut");
            assertEquals(e.cutBottom(), hips, e.examId() + ": hips touch the border iff the bottom is cut");
            assertTrue(e.truth("liver").voxelCount() > 0 && e.truth("hip_left").voxelCount() > 0);
            assertFalse(e.truth("kidney_left").touchesBorder(), "kidneys lie inside the field of view");
            cutTop += e.cutTop() ? 1 : 0;
            cutBottom += e.cutBottom() ? 1 : 0;
            whole += !e.cutTop() && !e.cutBottom() ? 1 : 0;
        }
        assertTrue(cutTop >= 3 && cutBottom >= 3 && whole >= 30, cutTop + " cut top, " + cutBottom + " cut bottom");

        // And on the rendered volume, by the statistics engine's own border rule.
        for (int i = 0; i < 60; i++) {
            PhantomExam t = g.truthOnly(i);
            if (t.cutTop()) {
                PhantomExam e = g.generate(i);
                var liver = StatisticsCalculator.compute(e.ct(), e.labels(), LabelMap.total()).stream()
                        .filter(s -> s.structure().equals("liver")).findFirst().orElseThrow();
                assertTrue(liver.touchesBorder());
                return;
            }
        }
        fail("no exam cut at the top");
    }
}
