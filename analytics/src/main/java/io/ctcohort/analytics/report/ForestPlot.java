package io.ctcohort.analytics.report;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.Stratum;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forest plot of standardized age effects of one metric: for every structure and stratum,
 * {@code 10 * beta_age / SD(metric)} with its 95 % CI scaled the same way, i.e. the change per
 * decade of age in standard deviations of the metric (within the stratum). Unit-free, so organs
 * of 5 ml and 1500 ml share one axis. Structures are sorted by the effect in stratum {@code all}.
 * Rows fitted over every phase only (per-phase rows of --phase stratify are in the tables). And
 * {@link #writePhase}: the phase-adjusted attenuation effects beside the unadjusted ones.
 */
final class ForestPlot {
    private ForestPlot() {
    }

    /** 10 * value / SD, NaN when the SD is missing or zero. */
    static double perDecadeInSd(double value, AgeEffect e) {
        return e.metricSd() > 0 ? 10.0 * value / e.metricSd() : Double.NaN;
    }

    /** The plot's rows, top to bottom: largest effect in stratum all first, structures without one last. */
    static List<String> rowOrder(String metric, List<AgeEffect> effects) {
        Map<String, AgeEffect> all = new HashMap<>();
        for (AgeEffect e : effects) {
            if (e.metric().equals(metric) && e.stratum().equals(Stratum.ALL.label()) && pooled(e)) {
                all.put(e.structure(), e);
            }
        }
        return effects.stream().filter(e -> e.metric().equals(metric) && pooled(e)).map(AgeEffect::structure)
                .distinct().sorted(Comparator.comparingDouble((String s) -> {
                    AgeEffect a = all.get(s);
                    double d = a == null ? Double.NaN : perDecadeInSd(a.betaAge(), a);
                    return Double.isNaN(d) ? Double.NEGATIVE_INFINITY : d; // last once reversed
                }).reversed()).toList();
    }

    private static boolean pooled(AgeEffect e) {
        return PhasePlan.ALL_PHASES.equals(e.phase());
    }

    /** The rows of {@link #writePhase}: phase-adjusted effects in stratum all, largest shift first. */
    static List<AgeEffect> adjustedRows(List<AgeEffect> effects) {
        return effects.stream().filter(e -> PhasePlan.ADJUSTED.equals(e.phaseAdjustment())
                        && e.stratum().equals(Stratum.ALL.label()) && Double.isFinite(e.betaAge())
                        && Double.isFinite(e.betaAgeUnadjusted()))
                .sorted(Comparator.comparingDouble((AgeEffect e) -> -Math.abs(e.betaAge() - e.betaAgeUnadjusted())))
                .toList();
    }

    /**
     * The attenuation metrics adjusted for contrast phase (stratum all): per structure and metric the
     * age effect in HU per year without the phase terms (grey) and with them (black), each with its
     * 95 % CI, over the same exams. How far the two lie apart is the confounding by phase.
     */
    static void writePhase(List<AgeEffect> effects, Path png) {
        List<PairedForest.Row> rows = new ArrayList<>();
        for (AgeEffect e : adjustedRows(effects)) {
            rows.add(new PairedForest.Row(e.structure() + " " + e.metric(), e.betaAgeUnadjusted(),
                    e.ciLowUnadjusted(), e.ciHighUnadjusted(), e.betaAge(), e.ciLow(), e.ciHigh()));
        }
        PairedForest.write("Attenuation age effects: unadjusted and adjusted for contrast phase",
                "age effect (HU per year), stratum all", "unadjusted", "adjusted for contrast phase", rows, png);
    }

    static void write(String metric, List<AgeEffect> effects, Path png) {
        List<String> structures = rowOrder(metric, effects);
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < structures.size(); i++) {
            row.put(structures.get(i), i);
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        Map<String, Double> offset = Map.of("all", 0.0, "F", -0.25, "M", 0.25);
        for (String stratum : List.of("all", "F", "M")) {
            YIntervalSeries s = new YIntervalSeries(stratum.equals("all") ? "all (adjusted for sex)"
                    : stratum.equals("F") ? "women" : "men", false, true);
            for (AgeEffect e : effects) {
                double d = perDecadeInSd(e.betaAge(), e);
                if (e.metric().equals(metric) && e.stratum().equals(stratum) && pooled(e) && Double.isFinite(d)) {
                    s.add(row.get(e.structure()) + offset.get(stratum), d, perDecadeInSd(e.ciLow(), e),
                            perDecadeInSd(e.ciHigh(), e));
                }
            }
            data.addSeries(s);
        }
        SymbolAxis names = new SymbolAxis(null, structures.toArray(String[]::new));
        names.setInverted(true);
        names.setGridBandsVisible(false);
        NumberAxis effectAxis = new NumberAxis("age effect per decade (SD of " + metric + ")");
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(false);
        renderer.setCapLength(3);
        Color[] colors = {Charts.ALL, Charts.FEMALE, Charts.MALE};
        for (int i = 0; i < 3; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        renderer.setErrorStroke(new BasicStroke(1.2f));
        XYPlot plot = new XYPlot(data, names, effectAxis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinesVisible(false);
        plot.addRangeMarker(new ValueMarker(0.0, Color.DARK_GRAY, new BasicStroke(1f)), Layer.BACKGROUND);
        JFreeChart chart = new JFreeChart("Standardized age effects: " + metric, JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        Charts.savePng(chart, png, 760, 140 + 22 * Math.max(1, structures.size()));
    }
}
