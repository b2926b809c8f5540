package io.ctcohort.analytics.report;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PngWriterTest {
    /** What PngWriter writes, ImageIO's PNG reader reads back pixel for pixel. */
    @Test
    void imageIoReadsBackEveryPixel() throws Exception {
        BufferedImage image = new BufferedImage(211, 97, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 211, 97);
        Random rnd = new Random(3);
        for (int i = 0; i < 300; i++) {
            g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), 90));
            g.fillOval(rnd.nextInt(211), rnd.nextInt(97), 5, 5);
        }
        g.drawString("kidney_right", 20, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngWriter.write(image, out);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(211, back.getWidth());
        assertEquals(97, back.getHeight());
        for (int y = 0; y < 97; y++) {
            for (int x = 0; x < 211; x++) {
                assertEquals(image.getRGB(x, y), back.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }
}
