package io.ctcohort.engine.dicom.codec;

import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;

/**
 * Runs one ImageIO reader over one frame and copies its single band out. Readers come from a
 * provider instance the decoder holds, never from ImageIO's registry: that registry is filled from
 * the thread's context class loader and META-INF/services, which differ between a shaded jar, a
 * Spark executor and a test.
 */
final class ImageIoFrames {
    private ImageIoFrames() {
    }

    static void read(ImageReaderSpi provider, ImageInputStream in, String codec, FrameFormat format, short[] out,
                     int offset) throws IOException {
        ImageReader reader = provider.createReaderInstance();
        try (in) {
            reader.setInput(in, true, true);
            copy(readRaster(reader, codec), codec, format, out, offset);
        } finally {
            reader.dispose();
        }
    }

    /**
     * The libraries fail on corrupt data with anything: IIOException, EOFException, index and
     * argument exceptions, and jj2000 (inside jai-imageio) prints a stack trace and throws
     * ThreadDeath. All of them mean "this frame cannot be decoded".
     */
    private static Raster readRaster(ImageReader reader, String codec) throws IOException {
        try {
            return reader.readRaster(0, null);
        } catch (EOFException e) {
            throw new IOException(codec + " frame is truncated: the decoder read past its end", e);
        } catch (IOException | RuntimeException | ThreadDeath e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("corrupt " + codec + " frame: " + why, e);
        }
    }

    private static void copy(Raster raster, String codec, FrameFormat format, short[] out, int offset)
            throws IOException {
        FrameChecks.checkSize(codec, raster.getWidth(), raster.getHeight(), format);
        if (raster.getNumBands() != 1) {
            throw new IOException(codec + " frame decoded to " + raster.getNumBands() + " bands, expected 1");
        }
        int columns = format.columns();
        int[] row = new int[columns];
        for (int y = 0; y < format.rows(); y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, columns, 1, 0, row);
            int at = offset + y * columns;
            for (int x = 0; x < columns; x++) {
                out[at + x] = (short) row[x];
            }
        }
    }
}
