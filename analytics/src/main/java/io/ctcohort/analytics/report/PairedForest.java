package io.ctcohort.analytics.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A forest plot of two estimates per row, the first grey and the second black, each with its 95 %
 * CI: unadjusted beside phase-adjusted, raw beside calibrated.
 */
final class PairedForest {
    /** One row: its name and both estimates with their intervals. */
    record Row(String name, double first, double firstLow, double firstHigh, double second, double secondLow,
               double secondHigh) {
    }

    private PairedForest() {
    }

    static void write(String title, String axisLabel, String firstLabel, String secondLabel, List<Row> rows, Path png) {
        String[] names = new String[rows.size()];
        YIntervalSeries first = new YIntervalSeries(firstLabel, false, true);
        YIntervalSeries second = new YIntervalSeries(secondLabel, false, true);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            names[i] = r.name();
            first.add(i - 0.15, r.first(), r.firstLow(), r.firstHigh());
            second.add(i + 0.15, r.second(), r.secondLow(), r.secondHigh());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(first);
        data.addSeries(second);
        SymbolAxis axis = new SymbolAxis(null, names);
        axis.setInverted(true);
        axis.setGridBandsVisible(false);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(false);
        renderer.setCapLength(3);
        Color[] colors = {Color.GRAY, Charts.ALL};
        for (int i = 0; i < 2; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        renderer.setErrorStroke(new BasicStroke(1.2f));
        XYPlot plot = new XYPlot(data, axis, new NumberAxis(axisLabel), renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinesVisible(false);
        plot.addRangeMarker(new ValueMarker(0.0, Color.DARK_GRAY, new BasicStroke(1f)), Layer.BACKGROUND);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        Charts.savePng(chart, png, 760, 140 + 26 * Math.max(1, rows.size()));
    }
}
