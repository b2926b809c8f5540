package io.ctcohort.analytics.report;

import io.ctcohort.analytics.Metric;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.data.xy.XYDataset;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;

/**
 * One structure: volume and mean HU against age, women and men as points, each with its LOESS
 * curve; the two panels share the age axis and one legend.
 */
final class ScatterPlot {
    private ScatterPlot() {
    }

    static void write(PlotData data, Path png) {
        NumberAxis ageAxis = new NumberAxis("age (years)");
        ageAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(ageAxis);
        plot.setGap(12);
        plot.add(panel(data, Metric.VOLUME_ML, "volume (ml)", true), 1);
        plot.add(panel(data, Metric.HU_MEAN, "mean attenuation (HU)", false), 1);
        JFreeChart chart = new JFreeChart(data.structure(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        Charts.savePng(chart, png, 640, 560);
    }

    /**
     * Points (the series drawn without lines) as 3 x 3 pixel squares filled directly; the LOESS curves
     * as usual. The standard path builds a Shape per point and sets up the anti-aliased rasterizer for
     * it: 6000 times per chart, most of the report's time.
     */
    private static final class PixelPoints extends XYLineAndShapeRenderer {
        @Override
        public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
                             XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series,
                             int item, CrosshairState crosshairState, int pass) {
            if (!Boolean.FALSE.equals(getSeriesLinesVisible(series))) {
                super.drawItem(g2, state, dataArea, info, plot, domainAxis, rangeAxis, dataset, series, item,
                        crosshairState, pass);
                return;
            }
            if (!isItemPass(pass) || !getItemVisible(series, item)) {
                return;
            }
            double x = domainAxis.valueToJava2D(dataset.getXValue(series, item), dataArea, plot.getDomainAxisEdge());
            double y = rangeAxis.valueToJava2D(dataset.getYValue(series, item), dataArea, plot.getRangeAxisEdge());
            if (Double.isFinite(x) && Double.isFinite(y) && dataArea.contains(x, y)) {
                g2.setPaint(getItemPaint(series, item));
                g2.fillRect((int) Math.floor(x - 1.5), (int) Math.floor(y - 1.5), 3, 3);
            }
        }
    }

    private static XYPlot panel(PlotData data, Metric metric, String label, boolean legend) {
        XYSeriesCollection series = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new PixelPoints();
        renderer.setDefaultSeriesVisibleInLegend(legend); // both panels share one legend
        int i = 0;
        for (String sex : PlotData.SEXES) {
            Color color = sex.equals("F") ? Charts.FEMALE : Charts.MALE;
            String name = sex.equals("F") ? "women" : "men";
            PlotData.Panel p = data.panel(metric, sex);
            XYSeries pts = new XYSeries(name, false, true);
            for (int k = 0; k < p.x().length; k++) {
                pts.add(p.x()[k], p.y()[k], false);
            }
            series.addSeries(pts);
            renderer.setSeriesLinesVisible(i, false);
            // 3 x 3 squares: at this size they look like dots, and the anti-aliased rasterizer fills a
            // square's 4 edges several times faster than an ellipse's curves (6000 points per chart)
            renderer.setSeriesShape(i, new Rectangle2D.Double(-1.5, -1.5, 3, 3));
            renderer.setSeriesPaint(i, Charts.translucent(color, 90));
            i++;
            if (p.curveX().length > 0) {
                XYSeries line = new XYSeries(name + " LOESS", false, true);
                for (int k = 0; k < p.curveX().length; k++) {
                    line.add(p.curveX()[k], p.curveY()[k], false);
                }
                series.addSeries(line);
                renderer.setSeriesShapesVisible(i, false);
                renderer.setSeriesPaint(i, color.darker());
                renderer.setSeriesStroke(i, new BasicStroke(2.5f));
                i++;
            }
        }
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(series, null, y, renderer);
        plot.setBackgroundPaint(new Color(248, 248, 248));
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
