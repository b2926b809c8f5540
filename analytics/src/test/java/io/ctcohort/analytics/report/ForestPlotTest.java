package io.ctcohort.analytics.report;

import io.ctcohort.analytics.AgeEffect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForestPlotTest {
    private static AgeEffect effect(String structure, String stratum, double beta, double sd) {
        double nan = Double.NaN;
        return new AgeEffect(structure, "volume_ml", stratum, 50, nan, nan, beta, nan, nan, nan, nan, nan, nan, nan,
                nan, nan, sd, Double.isNaN(beta) ? "constant metric" : null);
    }

    /** Largest standardized effect in stratum all on top; a structure with no estimable effect goes last. */
    @Test
    void rowsAreSortedByEffectWithNotEstimableLast() {
        List<AgeEffect> effects = List.of(
                effect("liver", "all", 1.0, 1.0),
                effect("spleen", "all", Double.NaN, 1.0),   // not estimable
                effect("aorta", "all", 3.0, 1.0),
                effect("kidney", "all", -2.0, 1.0),
                effect("kidney", "F", 9.0, 1.0),           // other strata do not set the order
                effect("lung", "all", 5.0, 0.0));          // SD 0: no standardized effect either
        List<String> order = ForestPlot.rowOrder("volume_ml", effects);
        assertEquals(List.of("aorta", "liver", "kidney", "spleen", "lung"), order);
    }
}
