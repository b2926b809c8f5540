package io.ctcohort.engine.dicom.codec;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;

import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * JPEG lossless, process 14 (SOF3), any predictor, 2 to 16 bits, through TwelveMonkeys
 * imageio-jpeg. It returns exact 8-, 12- and 16-bit values for all seven predictors and point
 * transforms (tests), so there is no own Huffman decoder. The SOF is read first so that a frame
 * whose size or precision disagrees with the data set is refused before the library allocates.
 */
public final class JpegLosslessDecoder implements FrameDecoder {
    private static final String CODEC = "JPEG lossless";

    @Override
    public void decode(byte[] frame, FrameFormat format, short[] out, int offset) throws IOException {
        FrameChecks.checkCall(frame, format, out, offset);
        JpegSegments.FrameHeader sof = JpegSegments.singleComponent(CODEC, frame, JpegSegments.untilScan(CODEC, frame),
                JpegSegments.SOF3, "the lossless SOF3 its transfer syntax promises", 6);
        FrameChecks.checkFrame(CODEC, sof, format);
        ImageIoFrames.read(Provider.INSTANCE, new MemoryCacheImageInputStream(new ByteArrayInputStream(frame)), CODEC,
                format, out, offset);
    }

    /** Set up on first decode, not when FrameDecoders is loaded. */
    private static final class Provider {
        static final ImageReaderSpi INSTANCE = provider();
    }

    /**
     * TwelveMonkeys' provider wraps the JDK's own JPEG reader, which it looks up when registered.
     * Registering it in a private registry beside the JDK provider (always in ImageIO's default
     * registry, whatever the class loader) gives it that delegate without touching global state.
     */
    private static ImageReaderSpi provider() {
        Iterator<ImageReaderSpi> jdk = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                p -> p.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"), false);
        if (!jdk.hasNext()) {
            throw new IllegalStateException("the JDK's JPEG ImageIO reader is missing (java.desktop module)");
        }
        ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        registry.registerServiceProvider(jdk.next(), ImageReaderSpi.class);
        JPEGImageReaderSpi provider = new JPEGImageReaderSpi();
        registry.registerServiceProvider(provider, ImageReaderSpi.class);
        return provider;
    }
}
