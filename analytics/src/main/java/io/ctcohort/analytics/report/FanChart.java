package io.ctcohort.analytics.report;

import io.ctcohort.analytics.Metric;
import io.ctcohort.analytics.centiles.CentileChart;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One structure's reference centile chart: a 2 x 2 grid (volume and attenuation x women and men), each
 * panel the cohort's points, the centile curves as a fan (shaded 3-97, 10-90, 25-75 with the curves
 * drawn over them, median bold) and, with --age-spline, the OLS spline curve of the mean (dashed).
 * A sex without a fit shows its points and the reason.
 */
public final class FanChart {
    static final int PANEL_WIDTH = 500;
    static final int PANEL_HEIGHT = 340;
    static final int TITLE_HEIGHT = 34;

    private FanChart() {
    }

    /**
     * @param points the report's scatter data of the structure (its subsampled points by metric and sex);
     *               null draws no points
     */
    public static void write(CentileChart chart, PlotData points, Path png) {
        int w = 2 * PANEL_WIDTH;
        int h = TITLE_HEIGHT + 2 * PANEL_HEIGHT;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(JFreeChart.DEFAULT_TITLE_FONT);
            g.drawString(chart.structure() + ": age- and sex-specific reference centiles", 12, 24);
            Metric[] metrics = Metric.values();
            for (int row = 0; row < metrics.length; row++) {
                for (int col = 0; col < 2; col++) {
                    String sex = col == 0 ? "F" : "M";
                    CentileChart.Panel p = chart.panel(metrics[row].column(), sex);
                    PlotData.Panel pts = points == null ? null : points.panel(metrics[row], sex);
                    JFreeChart panel = panel(metrics[row], sex, p, pts);
                    panel.setBackgroundPaint(Color.WHITE);
                    panel.draw(g, new Rectangle2D.Double(col * PANEL_WIDTH, TITLE_HEIGHT + row * PANEL_HEIGHT,
                            PANEL_WIDTH, PANEL_HEIGHT));
                }
            }
        } finally {
            g.dispose();
        }
        try {
            ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    private static JFreeChart panel(Metric metric, String sex, CentileChart.Panel p, PlotData.Panel pts) {
        Color color = sex.equals("F") ? Charts.FEMALE : Charts.MALE;
        String who = sex.equals("F") ? "women" : "men";
        String unit = metric == Metric.VOLUME_ML ? "volume (ml)" : "mean attenuation (HU)";
        NumberAxis x = new NumberAxis("age (years)");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(unit);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(new Color(250, 250, 250));
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // bands, points, curves, mean: bottom to top
        int ds = 0;
        boolean fitted = p != null && p.reason() == null && p.ages().length > 0;
        if (fitted) {
            double[] c = p.centiles();
            int k = c.length;
            YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
            DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
            int nb = 0;
            int mid = nearest(c, 50);
            for (int lo = 0, hi = k - 1; lo < hi; lo++, hi--) {
                YIntervalSeries s = new YIntervalSeries(fmt(c[lo]) + "-" + fmt(c[hi]), false, true);
                for (int a = 0; a < p.ages().length; a++) {
                    s.add(p.ages()[a], p.values()[mid][a], p.values()[lo][a], p.values()[hi][a]);
                }
                bands.addSeries(s);
                bandRenderer.setSeriesFillPaint(nb, Charts.translucent(color, 255));
                bandRenderer.setSeriesVisibleInLegend(nb, false);
                nb++;
            }
            bandRenderer.setAlpha(0.13f);
            plot.setDataset(ds, bands);
            plot.setRenderer(ds++, bandRenderer);
        }
        if (pts != null && pts.x().length > 0) {
            XYSeriesCollection points = new XYSeriesCollection();
            XYSeries s = new XYSeries(who + " (points)", false, true);
            for (int i = 0; i < pts.x().length; i++) {
                s.add(pts.x()[i], pts.y()[i], false);
            }
            points.addSeries(s);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
            r.setSeriesShape(0, new Ellipse2D.Double(-1.3, -1.3, 2.6, 2.6));
            r.setSeriesPaint(0, Charts.translucent(Color.DARK_GRAY, 70));
            r.setSeriesVisibleInLegend(0, false);
            plot.setDataset(ds, points);
            plot.setRenderer(ds++, r);
        }
        if (fitted) {
            double[] c = p.centiles();
            XYSeriesCollection curves = new XYSeriesCollection();
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            int mid = nearest(c, 50);
            for (int j = 0; j < c.length; j++) {
                XYSeries s = new XYSeries(fmt(c[j]) + "th", false, true);
                for (int a = 0; a < p.ages().length; a++) {
                    s.add(p.ages()[a], p.values()[j][a], false);
                }
                curves.addSeries(s);
                r.setSeriesPaint(j, color.darker());
                float width = j == mid ? 2.6f : (j == 0 || j == c.length - 1 ? 1.0f : 1.5f);
                r.setSeriesStroke(j, new BasicStroke(width));
                r.setSeriesVisibleInLegend(j, false);
            }
            plot.setDataset(ds, curves);
            plot.setRenderer(ds++, r);
        }
        boolean mean = p != null && p.meanAge().length > 0;
        if (mean) {
            XYSeriesCollection m = new XYSeriesCollection();
            XYSeries s = new XYSeries(String.format(Locale.ROOT, "OLS spline mean (F test vs linear: p = %.3g)",
                    p.pNonlinear()), false, true);
            for (int a = 0; a < p.meanAge().length; a++) {
                s.add(p.meanAge()[a], p.meanValue()[a], false);
            }
            m.addSeries(s);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            r.setSeriesPaint(0, Color.BLACK);
            r.setSeriesStroke(0, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {6f, 4f}, 0f));
            plot.setDataset(ds, m);
            plot.setRenderer(ds++, r);
        }
        String title = who + ", " + (metric == Metric.VOLUME_ML ? "volume" : "attenuation")
                + (p == null ? "" : "  (n = " + p.n() + ")");
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 13), plot, mean);
        if (fitted) {
            chart.addSubtitle(new TextTitle("centiles " + centileList(p.centiles()) + " (median bold; shaded "
                    + fmt(p.centiles()[0]) + "-" + fmt(p.centiles()[p.centiles().length - 1]) + ", ...)",
                    new Font("SansSerif", Font.PLAIN, 10)));
        } else if (p != null && p.reason() != null) {
            TextTitle t = new TextTitle("no centiles: " + p.reason(), new Font("SansSerif", Font.ITALIC, 11));
            t.setPaint(new Color(150, 40, 40));
            chart.addSubtitle(t);
        }
        if (mean && chart.getLegend() != null) {
            chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    private static int nearest(double[] c, double v) {
        int best = 0;
        for (int j = 1; j < c.length; j++) {
            if (Math.abs(c[j] - v) < Math.abs(c[best] - v)) {
                best = j;
            }
        }
        return best;
    }

    private static String centileList(double[] c) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < c.length; j++) {
            s.append(j == 0 ? "" : ", ").append(fmt(c[j]));
        }
        return s.toString();
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** The file name of a structure's fan chart (the scatter's naming rule, so odd names stay distinct). */
    public static String fileName(String structure) {
        return HtmlReport.fileName(structure).replaceFirst("^scatter_", "centiles_");
    }

    /** Renders every chart into plotDir (in parallel, as the scatters are). */
    static void writeAll(List<CentileChart> charts, java.util.Map<String, PlotData> points, Path plotDir) {
        charts.parallelStream().forEach(c -> write(c, points.get(c.structure()), plotDir.resolve(fileName(c.structure()) + ".png")));
    }
}
