package io.ctcohort.analytics.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Shared look and PNG output of the report's charts (JFreeChart, headless). */
final class Charts {
    static final Color FEMALE = new Color(200, 60, 90);
    static final Color MALE = new Color(40, 100, 190);
    static final Color ALL = new Color(60, 60, 60);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    static void savePng(JFreeChart chart, Path file, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
