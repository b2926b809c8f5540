package io.ctcohort.engine.phantom;

import static io.ctcohort.engine.phantom.BiomarkerTruth.*;
import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.engine.image.Reorientation;
import io.ctcohort.engine.image.VoxelView;
import io.ctcohort.engine.measure.ContrastPhase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The anatomy the opportunistic biomarkers measure, checked on rendered phantoms through the CT and
 * label map alone (as a pipeline sees them): a cortex denser than the trabecular core, contrast that
 * raises what it should by phase, and body composition at L3 that HU windows recover.
 */
class PhantomBiomarkersTest {
    private static final Set<Integer> MUSCLES = Set.of(PhantomStructures.AUTOCHTHON_LEFT,
            PhantomStructures.AUTOCHTHON_RIGHT, PhantomStructures.ILIOPSOAS_LEFT, PhantomStructures.ILIOPSOAS_RIGHT);

    /** The canonical (RAS) grid of an exam: HU and labels in x-fastest order, and the L3 label's middle slice. */
    private record Canonical(int nx, int ny, int nz, short[] hu, int[] labels, double pixelCm2) {
        static Canonical of(PhantomExam e) {
            Reorientation r = Reorientation.toCanonical(e.ct().geometry());
            VoxelView v = r.canonicalView();
            int[] d = r.canonical().dims();
            short[] hu = new short[d[0] * d[1] * d[2]];
            int[] labels = new int[hu.length];
            int i = 0;
            for (int z = 0; z < d[2]; z++) {
                for (int y = 0; y < d[1]; y++) {
                    for (int x = 0; x < d[0]; x++, i++) {
                        int s = Math.toIntExact(v.index(x, y, z));
                        hu[i] = e.ct().hu()[s];
                        labels[i] = e.labels().get(s);
                    }
                }
            }
            double[] sp = r.canonical().spacing();
            return new Canonical(d[0], d[1], d[2], hu, labels, sp[0] * sp[1] / 100.0);
        }

        int label(int x, int y, int z) {
            return labels[x + nx * (y + ny * z)];
        }

        short hu(int x, int y, int z) {
            return hu[x + nx * (y + ny * z)];
        }

        /** The slice halfway between the first and last slice holding {@code label}. */
        int middleSlice(int label) {
            int lo = Integer.MAX_VALUE;
            int hi = -1;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    int z = i / (nx * ny);
                    lo = Math.min(lo, z);
                    hi = Math.max(hi, z);
                }
            }
            return (lo + hi) / 2;
        }
    }

    @Test
    void vertebralBodiesHaveACortexDenserThanTheirCoreWhoseHuIsTheTruth() {
        PhantomGenerator g = new PhantomGenerator(404).inPhase(ContrastPhase.NATIVE);
        for (int i = 0; i < 2; i++) {
            PhantomExam e = g.generate(i);
            Canonical c = Canonical.of(e);
            for (int level : new int[] {1, 3, 5}) {
                int label = PhantomStructures.vertebra(level);
                int z = c.middleSlice(label);
                List<Integer> edge = new ArrayList<>();
                List<Integer> deep = new ArrayList<>();
                for (int y = 3; y < c.ny() - 3; y++) {
                    for (int x = 3; x < c.nx() - 3; x++) {
                        if (c.label(x, y, z) != label) {
                            continue;
                        }
                        int depth = 0;
                        while (depth < 3 && c.label(x - depth - 1, y, z) == label && c.label(x + depth + 1, y, z) == label
                                && c.label(x, y - depth - 1, z) == label && c.label(x, y + depth + 1, z) == label) {
                            depth++;
                        }
                        if (depth == 0) {
                            edge.add((int) c.hu(x, y, z));
                        } else if (depth == 3) {
                            deep.add((int) c.hu(x, y, z));
                        }
                    }
                }
                double truth = e.biomarker(TRABECULAR_HU, "vertebrae_L" + level).value();
                double deepMedian = median(deep);
                double edgeMean = edge.stream().mapToInt(Integer::intValue).average().orElseThrow();
                String where = e.examId() + " L" + level;
                assertTrue(deep.size() > 30, where + ": deep voxels " + deep.size());
                // The outermost voxel is cortical bone, blurred with what lies outside; the core lies deeper.
                assertTrue(edgeMean > deepMedian + 150, where + ": edge " + edgeMean + " core " + deepMedian);
                assertEquals(truth, deepMedian, 5, where + ": the core's HU is the planted trabecular truth");
            }
        }
    }

    @Test
    void contrastRaisesBloodOrgansAndTrabecularBoneByPhaseOnTheSameAnatomy() {
        PhantomGenerator g = new PhantomGenerator(77);
        for (int i = 0; i < 3; i++) {
            PhantomExam n = g.inPhase(ContrastPhase.NATIVE).truthOnly(i);
            PhantomExam a = g.inPhase(ContrastPhase.ARTERIAL).truthOnly(i);
            PhantomExam p = g.inPhase(ContrastPhase.PORTAL_VENOUS).truthOnly(i);
            assertEquals(ContrastPhase.NATIVE, n.phase());
            assertEquals(ContrastPhase.PORTAL_VENOUS, p.phase());
            for (StructureTruth t : n.truth()) {
                assertEquals(t.voxelCount(), p.truth(t.structure()).voxelCount(), "same anatomy: " + t.structure());
            }
            double aortaN = n.truth("aorta").huMeanClean();
            assertTrue(aortaN < AnatomySampler.NATIVE_AORTA_HIGH + 10, "native aorta " + aortaN);
            assertTrue(a.truth("aorta").huMeanClean() > p.truth("aorta").huMeanClean() + 40, "arterial aorta brightest");
            assertTrue(p.truth("aorta").huMeanClean() > aortaN + 20, "portal venous aorta enhanced");
            double liverN = n.biomarker(LIVER_HU, "liver").value();
            assertTrue(p.biomarker(LIVER_HU, "liver").value() > liverN + 30, "portal venous liver");
            assertTrue(a.biomarker(LIVER_HU, "liver").value() > liverN, "arterial liver, a little");
            assertTrue(p.biomarker(LIVER_HU, "liver").value() > a.biomarker(LIVER_HU, "liver").value());
            for (String kidney : List.of("kidney_left", "kidney_right")) {
                assertTrue(a.truth(kidney).huMeanClean() > n.truth(kidney).huMeanClean() + 30, kidney);
            }
            double coreN = n.biomarker(TRABECULAR_HU, "vertebrae_L1").value();
            double coreA = a.biomarker(TRABECULAR_HU, "vertebrae_L1").value();
            double coreP = p.biomarker(TRABECULAR_HU, "vertebrae_L1").value();
            assertTrue(coreN < coreA && coreA < coreP && coreP - coreN < 30, coreN + " " + coreA + " " + coreP);
            // Not enhanced: muscle, fat, the body composition at L3, the calcium.
            for (String b : List.of(MUSCLE_AREA_CM2, MUSCLE_HU, SAT_AREA_CM2, VAT_AREA_CM2)) {
                assertEquals(n.biomarker(b, "vertebrae_L3").value(), p.biomarker(b, "vertebrae_L3").value(), 1e-9, b);
            }
            assertEquals(n.biomarker(AORTIC_CALCIUM_VOLUME_MM3, "aorta").value(),
                    a.biomarker(AORTIC_CALCIUM_VOLUME_MM3, "aorta").value(), 1e-9);
        }
        assertThrows(IllegalArgumentException.class, () -> g.inPhase(ContrastPhase.DELAYED));
    }

    @Test
    void liverAndSpleenTruthIsTheMeanOfTheirTrueMasks() {
        PhantomExam e = new PhantomGenerator(31).generate(1);
        double liver = e.biomarker(LIVER_HU, "liver").value();
        double spleen = e.biomarker(SPLEEN_HU, "spleen").value();
        assertEquals(e.truth("liver").huMeanClean(), liver, 1e-9);
        assertEquals(e.truth("spleen").huMeanClean(), spleen, 1e-9);
        assertEquals(liver - spleen, e.biomarker(LIVER_SPLEEN_DIFFERENCE_HU, "liver").value(), 1e-9);
        assertEquals(liver, Math.rint(liver), 1e-9, "a uniform organ: one int16 value");
    }

    @Test
    void bodyCompositionAtL3IsWhatHuWindowsCountOnTheRenderedCt() {
        PhantomGenerator g = new PhantomGenerator(505);
        for (int i = 0; i < 3; i++) {
            PhantomExam e = g.generate(i);
            Canonical c = Canonical.of(e);
            int z = c.middleSlice(PhantomStructures.VERTEBRAE_L3);
            long muscle = 0;
            long fat = 0;
            double muscleHu = 0;
            for (int y = 1; y < c.ny() - 1; y++) {
                for (int x = 1; x < c.nx() - 1; x++) {
                    int l = c.label(x, y, z);
                    int hu = c.hu(x, y, z);
                    if (besideOtherStructure(c, x, y, z)) {
                        continue; // the blur's halo: a fat voxel beside bone or kidney reads as muscle, uncounted
                    }
                    boolean soft = l == 0 || MUSCLES.contains(l);
                    if (soft && hu >= -29 && hu <= 150) {
                        muscle++;
                        muscleHu += hu;
                    } else if (l == 0 && hu >= -190 && hu <= -30) {
                        fat++;
                    }
                }
            }
            double muscleArea = e.biomarker(MUSCLE_AREA_CM2, "vertebrae_L3").value();
            double fatArea = e.biomarker(SAT_AREA_CM2, "vertebrae_L3").value()
                    + e.biomarker(VAT_AREA_CM2, "vertebrae_L3").value();
            String where = e.examId() + " (" + e.phase().value() + ")";
            assertTrue(muscleArea > 60 && muscleArea < 250, where + ": muscle area " + muscleArea);
            assertTrue(e.biomarker(SAT_AREA_CM2, "vertebrae_L3").value() > 20, where + ": SAT");
            assertTrue(e.biomarker(VAT_AREA_CM2, "vertebrae_L3").value() > 20, where + ": VAT");
            double muscleWindow = muscle * c.pixelCm2();
            double fatWindow = fat * c.pixelCm2();
            System.out.printf(java.util.Locale.ROOT, "%s L3: muscle %.1f cm2 (window %.1f), fat %.1f (window %.1f),"
                    + " muscle HU %.1f (window %.1f)%n", where, muscleArea, muscleWindow, fatArea, fatWindow,
                    e.biomarker(MUSCLE_HU, "vertebrae_L3").value(), muscleHu / muscle);
            // Unlabeled soft tissue at L3 besides muscle is only the vena cava and the spinal canal (a few cm2).
            assertTrue(muscleWindow > 0.97 * muscleArea && muscleWindow < 1.12 * muscleArea,
                    where + ": muscle area by window " + muscleWindow + ", truth " + muscleArea);
            // The blur lifts the outermost fat voxel above the skin (and those beside bone) out of the window.
            assertTrue(fatWindow > 0.88 * fatArea && fatWindow < 1.01 * fatArea,
                    where + ": fat area by window " + fatWindow + ", truth " + fatArea);
            assertEquals(e.biomarker(MUSCLE_HU, "vertebrae_L3").value(), muscleHu / muscle, 20, where + ": muscle HU");
        }
    }

    @Test
    void sameSeedSameBiomarkersAndPhase() {
        PhantomExam a = new PhantomGenerator(12).truthOnly(5);
        PhantomExam b = new PhantomGenerator(12).truthOnly(5);
        assertEquals(a.phase(), b.phase());
        assertEquals(a.biomarkers(), b.biomarkers());
        assertEquals(15, a.biomarkers().size());
        assertNotEquals(a.biomarkers(), new PhantomGenerator(12).truthOnly(6).biomarkers());
    }

    /** A labeled non-muscle structure within the 3 x 3 in-plane neighbourhood (the reach of the render blur). */
    private static boolean besideOtherStructure(Canonical c, int x, int y, int z) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int l = c.label(x + dx, y + dy, z);
                if (l != 0 && !MUSCLES.contains(l)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double median(List<Integer> v) {
        int[] s = v.stream().mapToInt(Integer::intValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
