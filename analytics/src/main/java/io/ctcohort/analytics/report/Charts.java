package io.ctcohort.analytics.report;

import org.jfree.chart.JFreeChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
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

    /**
     * Renders the chart opaque (RGB) and writes it with {@link PngWriter} (one filter, zlib level 1).
     * ChartUtils' PNG went through ImageIO (all five filters tried per row, alpha, a temporary cache
     * file for a stream): encoding was 70 % of the report's time.
     */
    static void savePng(JFreeChart chart, Path file, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            PngWriter.write(image, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
