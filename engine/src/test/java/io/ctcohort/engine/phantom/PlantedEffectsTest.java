package io.ctcohort.engine.phantom;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void menHaveLargerOrgans() {
        for (String s : List.of("liver", "spleen", "kidney_left", "kidney_right", "pancreas", "aorta",
                "iliopsoas_left", "iliopsoas_right", "vertebrae_L3", "hip_left")) {
            double[] f = fit(s, true);
            assertTrue(f[2] > 0 && f[3] < 0.05, s + " volume: men larger");
        }
    }
}
