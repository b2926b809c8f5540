package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.Spearman;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shortcuts of the per-structure pass give what the plain definitions give, to the bit. */
class SelectionTest {
    @Test
    void medianBySelectionEqualsMedianOfSorted() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(trial < 1000 ? 12 : 400);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(5) - 2 : rnd.nextGaussian(); // heavy ties, signed zeros
                if (v[i] == 0 && rnd.nextBoolean()) {
                    v[i] = -0.0;
                }
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(AgeGroups.median(v.clone())),
                    Arrays.toString(v));
        }
    }

    @Test
    void subsetRanksFromSharedTieGroupsEqualRanksOfTheSubset() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rnd.nextInt(300);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(4) == 0 ? Double.NaN : Math.floor(rnd.nextDouble() * 20); // ties, missing
            }
            Spearman.TieGroups ties = new Spearman.TieGroups(v);
            int[] idx = java.util.stream.IntStream.range(0, n).filter(i -> !Double.isNaN(v[i]) && rnd.nextBoolean())
                    .toArray();
            double[] subset = Arrays.stream(idx).mapToDouble(i -> v[i]).toArray();
            assertArrayEquals(Spearman.ranks(subset), ties.ranks(idx));
            if (subset.length == 0) {
                continue;
            }
            assertArrayEquals(new org.apache.commons.math3.stat.ranking.NaturalRanking(
                    org.apache.commons.math3.stat.ranking.TiesStrategy.AVERAGE).rank(subset), Spearman.ranks(subset));
        }
    }
}
