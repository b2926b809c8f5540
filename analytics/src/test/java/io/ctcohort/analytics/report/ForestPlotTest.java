package io.ctcohort.analytics.report;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.stats.OlsAgeFit;
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

    /**
     * The phase view draws adjusted rows of stratum all, largest shift first; per-phase (stratified)
     * rows stay out of the standardized forest plots.
     */
    @Test
    void phaseViewTakesAdjustedRowsAndForestPlotsTakePooledRows() {
        OlsAgeFit.Result small = new OlsAgeFit.Result(-2.4, 0.1, -24, 0, -2.6, -2.2, 0.5, 100, null);
        OlsAgeFit.Result large = new OlsAgeFit.Result(0.6, 0.1, 6, 0, 0.4, 0.8, 0.5, 60, null);
        List<AgeEffect> effects = List.of(
                effect("vertebrae_L1", "all", -2.5, 1.0).withPhase("all", PhasePlan.ADJUSTED, small),
                effect("liver", "all", -0.1, 1.0).withPhase("all", PhasePlan.ADJUSTED, large),
                effect("liver", "F", -0.1, 1.0).withPhase("all", PhasePlan.ADJUSTED, large),
                effect("spleen", "all", -0.1, 1.0),
                effect("kidney", "all", 7.0, 1.0).withPhase("native", PhasePlan.STRATIFIED, null));
        assertEquals(List.of("liver", "vertebrae_L1"),
                ForestPlot.adjustedRows(effects).stream().map(AgeEffect::structure).toList());
        assertEquals(List.of("liver", "spleen", "vertebrae_L1"), ForestPlot.rowOrder("volume_ml", effects),
                "the stratified kidney row is not a pooled effect");
    }
}
