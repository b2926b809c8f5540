package io.ctcohort.engine.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.measure.ContrastPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The phantom cohort's truth, fitted directly by OLS (value ~ 1 + age + male), shows every planted
 * effect with the right sign at p < 0.05. This is the reference the demo job is compared with.
 * Volumes are fitted over exams whose field of view is not cut (aorta and autochthon always reach the
 * top and bottom of an abdominal scan, so the border flag cannot be the filter here).
 */
class PlantedEffectsTest {
    private static final int EXAMS = 300;
    private static List<PhantomExam> cohort;

    @BeforeAll
    static void generate() {
        PhantomGenerator g = new PhantomGenerator(2024);
        cohort = IntStream.range(0, EXAMS).parallel().mapToObj(g::truthOnly).toList();
    }

    /** {beta_age, p_age, beta_male, p_male}. */
    private static double[] fit(String structure, boolean volume) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        ToDoubleFunction<StructureTruth> metric = volume ? StructureTruth::volumeMl : StructureTruth::huMeanClean;
        for (PhantomExam e : cohort) {
            StructureTruth t = e.truth(structure);
            if (t.voxelCount() == 0 || (volume && (e.cutTop() || e.cutBottom()))) {
                continue;
            }
            x.add(new double[] {e.demographics().age(), e.demographics().male() ? 1 : 0});
            y.add(metric.applyAsDouble(t));
        }
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y.stream().mapToDouble(Double::doubleValue).toArray(), x.toArray(new double[0][]));
        double[] b = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors();
        TDistribution t = new TDistribution(y.size() - 3);
        double pAge = 2 * t.cumulativeProbability(-Math.abs(b[1] / se[1]));
        double pMale = 2 * t.cumulativeProbability(-Math.abs(b[2] / se[2]));
        System.out.printf(Locale.ROOT, "%-18s %-6s n=%d beta_age=%+.4f p=%.2e beta_male=%+.3f p=%.2e%n", structure,
                volume ? "volume" : "HU", y.size(), b[1], pAge, b[2], pMale);
        return new double[] {b[1], pAge, b[2], pMale};
    }

    @Test
    void aortaVolumeGrowsWithAge() {
        double[] f = fit("aorta", true);
        assertTrue(f[0] > 0 && f[1] < 0.05, "aorta volume vs age");
    }

    @Test
    void kidneyPancreasAndIliopsoasVolumesShrinkWithAge() {
        for (String s : List.of("kidney_left", "kidney_right", "pancreas", "iliopsoas_left", "iliopsoas_right")) {
            double[] f = fit(s, true);
            assertTrue(f[0] < 0 && f[1] < 0.05, s + " volume vs age");
        }
    }

    @Test
    void boneAndAutochthonAttenuationFallsWithAge() {
        for (String s : List.of("vertebrae_L1", "vertebrae_L2", "vertebrae_L3", "vertebrae_L4", "vertebrae_L5",
                "hip_left", "hip_right", "autochthon_left", "autochthon_right")) {
            double[] f = fit(s, false);
            assertTrue(f[0] < 0 && f[1] < 0.05, s + " HU vs age");
        }
    }

    /** OLS of y on the columns of x with an intercept: the coefficients, intercept first. */
    private static double[] ols(List<double[]> x, List<Double> y) {
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y.stream().mapToDouble(Double::doubleValue).toArray(), x.toArray(new double[0][]));
        return ols.estimateRegressionParameters();
    }

    @Test
    void phaseMixChangesWithAgeAsPlanted() {
        List<PhantomExam> young = cohort.stream().filter(e -> e.demographics().age() < 45).toList();
        List<PhantomExam> old = cohort.stream().filter(e -> e.demographics().age() >= 70).toList();
        double pYoung = (double) count(young, ContrastPhase.NATIVE) / young.size();
        double pOld = (double) count(old, ContrastPhase.NATIVE) / old.size();
        double expectedNative = cohort.stream()
                .mapToDouble(e -> PlantedEffects.nativeProbability(e.demographics().age())).sum();
        long nativeCount = count(cohort, ContrastPhase.NATIVE);
        long arterial = count(cohort, ContrastPhase.ARTERIAL);
        System.out.printf(Locale.ROOT, "native: %.2f of %d under 45, %.2f of %d from 70; %d native (expected %.1f), %d arterial%n",
                pYoung, young.size(), pOld, old.size(), nativeCount, expectedNative, arterial);
        assertTrue(pOld > pYoung + 0.4, "older exams are more often native");
        assertEquals(expectedNative, nativeCount, 4 * Math.sqrt(expectedNative), "native count as planted");
        long contrast = EXAMS - nativeCount;
        double expectedArterial = contrast * PlantedEffects.arterialShareOfContrast();
        assertEquals(expectedArterial, arterial, 4 * Math.sqrt(expectedArterial), "arterial share of contrast exams");
    }

    private static long count(List<PhantomExam> exams, ContrastPhase phase) {
        return exams.stream().filter(e -> e.phase() == phase).count();
    }

    @Test
    void trabecularCoreFallsAtThePlantedSlopeAndPhaseConfoundsAnUnadjustedFit() {
        // Men (no extra loss after 50): trabecular_hu ~ age + arterial + portal venous.
        for (int level : new int[] {1, 3}) {
            List<double[]> adjusted = new ArrayList<>();
            List<double[]> plain = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (PhantomExam e : cohort) {
                if (!e.demographics().male()) {
                    continue;
                }
                double age = e.demographics().age();
                adjusted.add(new double[] {age, e.phase() == ContrastPhase.ARTERIAL ? 1 : 0,
                        e.phase() == ContrastPhase.PORTAL_VENOUS ? 1 : 0});
                plain.add(new double[] {age});
                y.add(e.biomarker(BiomarkerTruth.TRABECULAR_HU, "vertebrae_L" + level).value());
            }
            double[] b = ols(adjusted, y);
            double[] u = ols(plain, y);
            System.out.printf(Locale.ROOT, "L%d trabecular_hu, men: adjusted %+.3f HU/yr (arterial %+.1f, portal venous %+.1f HU), "
                    + "unadjusted %+.3f HU/yr%n", level, b[1], b[2], b[3], u[1]);
            assertEquals(AnatomySampler.VERTEBRA_CANCELLOUS_HU_PER_YEAR, b[1], 0.3, "planted slope");
            assertEquals(PlantedEffects.trabecularEnhancementHu(ContrastPhase.PORTAL_VENOUS), b[3], 5, "portal venous");
            assertTrue(b[2] > 5 && b[2] < b[3] + 3, "arterial enhancement smaller: " + b[2]);
            assertTrue(u[1] < b[1] - 0.05, "without the phase the slope is steeper: " + u[1] + " vs " + b[1]);
        }
    }

    @Test
    void aorticCalciumGrowsWithAgeFromForty() {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (PhantomExam e : cohort) {
            double volume = e.biomarker(BiomarkerTruth.AORTIC_CALCIUM_VOLUME_MM3, "aorta").value();
            double plaques = e.biomarker(BiomarkerTruth.AORTIC_PLAQUES, "aorta").value();
            if (e.demographics().age() <= AnatomySampler.PLAQUE_ONSET_AGE) {
                assertEquals(0, plaques, e.examId());
            }
            assertTrue(plaques > 0 || volume == 0, e.examId() + ": calcium without plaques");
            x.add(new double[] {e.demographics().age(), e.demographics().male() ? 1 : 0});
            y.add(volume);
        }
        double[] b = ols(x, y);
        System.out.printf(Locale.ROOT, "aortic calcium volume %+.2f mm3/yr%n", b[1]);
        assertTrue(b[1] > 0, "calcium volume grows with age");
    }

    @Test
    void menHaveLargerOrgans() {
        for (String s : List.of("liver", "spleen", "kidney_left", "kidney_right", "pancreas", "aorta",
                "iliopsoas_left", "iliopsoas_right", "vertebrae_L3", "hip_left")) {
            double[] f = fit(s, true);
            assertTrue(f[2] > 0 && f[3] < 0.05, s + " volume: men larger");
        }
    }
}
