package io.ctcohort.analytics.report;

import org.jfree.chart.JFreeChart;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
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
     * Renders the chart opaque (RGB) and writes it as PNG at deflate level 1. ChartUtils' PNG goes
     * through ImageIO's default level with alpha, and through a temporary cache file for a stream:
     * deflate was 70 % of the report's time; level 1 on these flat-coloured charts costs a few kB.
     */
    static void savePng(JFreeChart chart, Path file, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             ImageOutputStream io = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(FAST_DEFLATE_QUALITY);
            writer.setOutput(io);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            writer.dispose();
        }
    }

    /** The JDK PNG writer's deflate level is (int) (9 * (1 - quality)): 0.85 gives level 1. */
    private static final float FAST_DEFLATE_QUALITY = 0.85f;
}
