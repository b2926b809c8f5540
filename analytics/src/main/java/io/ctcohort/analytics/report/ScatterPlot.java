package io.ctcohort.analytics.report;

import io.ctcohort.analytics.Metric;
import io.ctcohort.analytics.Subject;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.List;

/**
 * One structure: volume and mean HU against age, women and men as points, each with its LOESS
 * curve; the two panels share the age axis. At most {@link #MAX_POINTS} points per sex are drawn
 * (every k-th); the curves use all of them.
 */
final class ScatterPlot {
    static final int MAX_POINTS = 3000;

    private ScatterPlot() {
    }

    static void write(String structure, List<Subject> subjects, Path png) {
        NumberAxis ageAxis = new NumberAxis("age (years)");
        ageAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(ageAxis);
        plot.setGap(12);
        plot.add(panel(subjects, Metric.VOLUME_ML, "volume (ml)"), 1);
        plot.add(panel(subjects, Metric.HU_MEAN, "mean attenuation (HU)"), 1);
        JFreeChart chart = new JFreeChart(structure, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        Charts.savePng(chart, png, 640, 560);
    }

    private static XYPlot panel(List<Subject> subjects, Metric metric, String label) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        int series = 0;
        for (String sex : List.of("F", "M")) {
            Color color = sex.equals("F") ? Charts.FEMALE : Charts.MALE;
            double[][] xy = points(subjects, metric, sex);
            XYSeries pts = new XYSeries(sex.equals("F") ? "women" : "men", false, true);
            int step = Math.max(1, xy[0].length / MAX_POINTS);
            for (int i = 0; i < xy[0].length; i += step) {
                pts.add(xy[0][i], xy[1][i], false);
            }
            data.addSeries(pts);
            renderer.setSeriesLinesVisible(series, false);
            renderer.setSeriesShape(series, new Ellipse2D.Double(-2, -2, 4, 4));
            renderer.setSeriesPaint(series, Charts.translucent(color, 90));
            series++;
            double[][] curve = Loess.curve(xy[0], xy[1]);
            if (curve != null) {
                XYSeries line = new XYSeries((sex.equals("F") ? "women" : "men") + " LOESS", false, true);
                for (int i = 0; i < curve[0].length; i++) {
                    line.add(curve[0][i], curve[1][i], false);
                }
                data.addSeries(line);
                renderer.setSeriesShapesVisible(series, false);
                renderer.setSeriesPaint(series, color.darker());
                renderer.setSeriesStroke(series, new BasicStroke(2.5f));
                series++;
            }
        }
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, y, renderer);
        plot.setBackgroundPaint(new Color(248, 248, 248));
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static double[][] points(List<Subject> subjects, Metric metric, String sex) {
        double[] x = new double[subjects.size()];
        double[] y = new double[subjects.size()];
        int n = 0;
        for (Subject s : subjects) {
            double v = s.metric(metric);
            if (sex.equals(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(v)) {
                x[n] = s.age();
                y[n] = v;
                n++;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
    }
}
