package io.ctcohort.analytics.centiles;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quantile regressions against R quantreg (rq, method "br") and statsmodels QuantReg on the golden
 * cohort (fixtures quantreg_fits.csv, quantreg_fitted.csv from make_centile_fixture.py): the same
 * design (intercept + natural spline of age, df 4, knots at the age quartiles), objective and fitted
 * centiles (before rearrangement, at every 4th year of age) within 1e-6 relative. The fits here are the
 * production ones: the whole 3-97 % grid, warm-started outward from the median.
 */
class CentileReferenceTest {
    private static final double TOLERANCE = 1e-6;

    @Test
    void matchesRQuantregAndStatsmodels() throws Exception {
        assumeTrue(ReferenceCohort.present(), "reference data absent: " + ReferenceCohort.regression().toAbsolutePath());
        List<Map<String, String>> fits = FixtureCsv.read("quantreg_fits.csv");
        List<Map<String, String>> fitted = FixtureCsv.read("quantreg_fitted.csv");
        TreeSet<String> structures = new TreeSet<>();
        fits.forEach(r -> structures.add(r.get("structure")));
        Map<String, ReferenceCohort.Group> groups = ReferenceCohort.groups(List.copyOf(structures));
        CentileOptions options = CentileOptions.defaults();
        Map<String, CentileCurves> curves = new java.util.HashMap<>();
        groups.forEach((k, g) -> curves.put(k, CentileCurves.fit(g.age(), g.value(), options)));

        double worstObjR = 0;
        double worstObjSm = 0;
        int nonunique = 0;
        for (Map<String, String> r : fits) {
            String key = r.get("structure") + "/" + r.get("metric") + "/" + r.get("sex");
            CentileCurves c = curves.get(key);
            assertEquals(Integer.parseInt(r.get("n")), c.n(), key + " n");
            assertEquals(4, Integer.parseInt(r.get("df")));
            QuantileRegression.Fit f = c.rawFit(FixtureCsv.num(r, "tau"));
            assertTrue(f.certified(), key + " tau " + r.get("tau") + ": optimality certificate");
            double eR = FixtureCsv.relativeError(f.objective(), FixtureCsv.num(r, "objective_r"));
            double eSm = FixtureCsv.relativeError(f.objective(), FixtureCsv.num(r, "objective_statsmodels"));
            assertTrue(eR <= TOLERANCE, key + " tau " + r.get("tau") + " objective vs R: " + eR);
            assertTrue(eSm <= TOLERANCE, key + " tau " + r.get("tau") + " objective vs statsmodels: " + eSm);
            // an exact optimum is never above R's exact one, nor above statsmodels' approximate one
            assertTrue(f.objective() <= FixtureCsv.num(r, "objective_statsmodels") * (1 + 1e-12), key);
            worstObjR = Math.max(worstObjR, eR);
            worstObjSm = Math.max(worstObjSm, eSm);
            if (Boolean.parseBoolean(r.get("nonunique_r").toLowerCase())) {
                nonunique++;
            }
        }
        double worstFitR = 0;
        double worstFitSm = 0;
        for (Map<String, String> r : fitted) {
            String key = r.get("structure") + "/" + r.get("metric") + "/" + r.get("sex");
            CentileCurves c = curves.get(key);
            double age = FixtureCsv.num(r, "age");
            double[] row = new double[c.spline().df() + 1];
            row[0] = 1;
            System.arraycopy(c.spline().basis(age), 0, row, 1, c.spline().df());
            double v = c.rawFit(FixtureCsv.num(r, "tau")).predict(row);
            double eR = FixtureCsv.relativeError(v, FixtureCsv.num(r, "fitted_r"));
            double eSm = FixtureCsv.relativeError(v, FixtureCsv.num(r, "fitted_statsmodels"));
            assertTrue(eR <= TOLERANCE, key + " tau " + r.get("tau") + " age " + age + " fitted vs R: " + eR);
            assertTrue(eSm <= TOLERANCE, key + " tau " + r.get("tau") + " age " + age + " fitted vs statsmodels: " + eSm);
            worstFitR = Math.max(worstFitR, eR);
            worstFitSm = Math.max(worstFitSm, eSm);
        }
        System.out.printf("quantile regression vs fixtures: %d fits (%d flagged non-unique by R), %d fitted values;"
                        + " max relative error objective R %.2e, statsmodels %.2e; fitted R %.2e, statsmodels %.2e%n",
                fits.size(), nonunique, fitted.size(), worstObjR, worstObjSm, worstFitR, worstFitSm);
        assertEquals(84, fits.size());
    }
}
