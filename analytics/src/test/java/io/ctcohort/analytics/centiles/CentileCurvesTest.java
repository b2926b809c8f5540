package io.ctcohort.analytics.centiles;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rearrangement, scores and the reasons for not fitting. */
class CentileCurvesTest {

    private static CentileCurves cohort(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] age = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            age[i] = 18 + r.nextInt(80);
            v[i] = 500 + 2 * age[i] + 40 * Math.exp(0.6 * r.nextGaussian());
        }
        return CentileCurves.fit(age, v, CentileOptions.defaults());
    }

    @Test
    void centilesAreMonotoneAndScoresInvertThem() {
        CentileCurves c = cohort(1500, 3);
        assertNull(c.reason());
        assertEquals(95, c.gridTaus().length);
        assertEquals(18, c.ageGrid()[0]);
        assertEquals(97, c.ageGrid()[c.ageGrid().length - 1]);
        for (int age : c.ageGrid()) {
            double[] v = c.centileValues(age);
            for (int j = 1; j < v.length; j++) {
                assertTrue(v[j] >= v[j - 1], "rearranged centiles increase at age " + age);
            }
            double[] centiles = c.centiles();
            double[] q = c.quantiles(age);
            double[] taus = c.gridTaus();
            for (int j = 0; j < v.length; j++) {
                CentileCurves.Score s = c.score(age, v[j]);
                // chart and ranks come from the same rearranged grid: a value on a curve has its centile, or,
                // where neighbouring quantiles share one fitted value up to rounding (the fit is piecewise
                // constant in tau),
                // the middle of their centiles
                double first = -1;
                double last = -1;
                for (int k = 0; k < q.length; k++) {
                    double tol = CentileCurves.TIE_TOLERANCE * Math.max(Math.abs(q[0]), Math.abs(q[q.length - 1]));
                    if (Math.abs(q[k] - v[j]) <= tol) {
                        first = first < 0 ? taus[k] : first;
                        last = taus[k];
                    }
                }
                assertTrue(first <= centiles[j] / 100 && centiles[j] / 100 <= last);
                assertEquals(50 * (first + last), s.centileRank(), 1e-9, "rank of the centile value at age " + age);
                assertEquals(CentileCurves.probit(s.centileRank() / 100), s.z(), 1e-9);
            }
            // continuous across the outermost centiles, monotone in the value beyond them
            double lo = v[0];
            double hi = v[v.length - 1];
            assertEquals(3.0, c.score(age, lo - 1e-7 * Math.abs(lo)).centileRank(), 1e-3);
            assertEquals(97.0, c.score(age, hi + 1e-7 * Math.abs(hi)).centileRank(), 1e-3);
            assertTrue(c.score(age, lo - 50).z() < c.score(age, lo - 10).z());
            assertTrue(c.score(age, hi + 50).z() > c.score(age, hi + 10).z());
        }
    }

    @Test
    void normalHelpersAgree() {
        assertEquals(-1.959963984540054, CentileCurves.probit(0.025), 1e-12);
        assertEquals(0.025, CentileCurves.phi(-1.959963984540054), 1e-15);
        assertEquals(0.0, CentileCurves.probit(0.5), 0);
        assertEquals(1 - 2.866515718791939e-7, CentileCurves.phi(5), 1e-15);
    }

    @Test
    void smallOrDegenerateGroupsGetAReason() {
        CentileCurves small = cohort(200, 4);
        assertFalse(small.fitted());
        assertEquals("n=200 below the 334 exams a stable fit needs (10 expected beyond centiles 3 and 97)",
                small.reason());
        double[] age = new double[400];
        double[] v = new double[400];
        for (int i = 0; i < 400; i++) {
            age[i] = i % 2 == 0 ? 40 : 60;
            v[i] = i;
        }
        CentileCurves twoAges = CentileCurves.fit(age, v, CentileOptions.defaults());
        assertEquals("too few distinct ages for a spline with df=4", twoAges.reason());
        CentileOptions relaxed = new CentileOptions(true, new double[] {10, 50, 90}, 2, 50, 5, 0);
        assertEquals(50, relaxed.requiredExams());
        assertArrayEquals(new double[] {0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
                0.8, 0.85, 0.9}, relaxed.gridTaus(), 1e-12);
        assertTrue(cohort(200, 5).n() == 200);
    }
}
