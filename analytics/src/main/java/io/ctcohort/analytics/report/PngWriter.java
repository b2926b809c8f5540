package io.ctcohort.analytics.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A minimal PNG encoder for the report's opaque charts: 8-bit RGB, every row with the 'Sub' filter,
 * zlib at level 1. ImageIO's writer tries all five filters on every row in Java and then deflates;
 * that was most of the report's time. Charts are flat colours and lines, which 'Sub' suits.
 */
final class PngWriter {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int DEFLATE_LEVEL = 1;
    private static final byte FILTER_SUB = 1;

    private PngWriter() {
    }

    /** @param image TYPE_INT_RGB */
    static void write(BufferedImage image, OutputStream out) throws IOException {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("TYPE_INT_RGB expected, got " + image.getType());
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        DataOutputStream o = new DataOutputStream(out);
        o.write(SIGNATURE);
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(8);  // bit depth
        d.writeByte(2);  // colour type RGB
        d.writeByte(0);  // deflate
        d.writeByte(0);  // adaptive filtering (per-row filter byte)
        d.writeByte(0);  // no interlace
        chunk(o, "IHDR", ihdr.toByteArray());

        ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h / 2);
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            byte[] row = new byte[1 + 3 * w];
            for (int y = 0; y < h; y++) {
                row[0] = FILTER_SUB;
                int base = y * w;
                int pr = 0;
                int pg = 0;
                int pb = 0;
                for (int x = 0; x < w; x++) {
                    int p = px[base + x];
                    int r = (p >> 16) & 0xff;
                    int g = (p >> 8) & 0xff;
                    int b = p & 0xff;
                    int i = 1 + 3 * x;
                    row[i] = (byte) (r - pr);
                    row[i + 1] = (byte) (g - pg);
                    row[i + 2] = (byte) (b - pb);
                    pr = r;
                    pg = g;
                    pb = b;
                }
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(o, "IDAT", idat.toByteArray());
        chunk(o, "IEND", new byte[0]);
        o.flush();
    }

    private static void chunk(DataOutputStream o, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        o.writeInt(data.length);
        o.write(t);
        o.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        o.writeInt((int) crc.getValue());
    }
}
