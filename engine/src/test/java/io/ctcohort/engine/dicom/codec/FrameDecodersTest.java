package io.ctcohort.engine.dicom.codec;

import io.ctcohort.engine.dicom.FrameDecoders;
import io.ctcohort.engine.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameDecodersTest {
    @Test
    void everyEncapsulatedSyntaxHasADecoder() {
        assertInstanceOf(RleDecoder.class, FrameDecoders.forSyntax(TransferSyntax.RLE_LOSSLESS));
        assertInstanceOf(JpegLosslessDecoder.class, FrameDecoders.forSyntax(TransferSyntax.JPEG_LOSSLESS_SV1));
        assertInstanceOf(JpegLosslessDecoder.class, FrameDecoders.forSyntax(TransferSyntax.JPEG_LOSSLESS));
        assertInstanceOf(JpegLsDecoder.class, FrameDecoders.forSyntax(TransferSyntax.JPEG_LS_LOSSLESS));
        assertInstanceOf(Jpeg2000Decoder.class, FrameDecoders.forSyntax(TransferSyntax.JPEG_2000_LOSSLESS));
        for (TransferSyntax ts : TransferSyntax.values()) {
            if (ts.encapsulated()) {
                FrameDecoders.forSyntax(ts);
            } else {
                assertThrows(IllegalArgumentException.class, () -> FrameDecoders.forSyntax(ts), ts.toString());
            }
        }
    }

    /**
     * On a Spark executor or in a shaded jar the thread's context class loader and ImageIO's
     * registry may not see the plugins' META-INF/services. The decoders instantiate their ImageIO
     * providers directly: loaded afresh in an isolated class loader, with a context class loader that
     * sees nothing, they still decode.
     */
    @Test
    void imageIoDecodersNeedNeitherTheRegistryNorTheContextClassLoader() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
             URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            Thread.currentThread().setContextClassLoader(empty);
            Class<?> formatClass = isolated.loadClass(FrameFormat.class.getName());
            assertNotSame(FrameFormat.class, formatClass, "the isolated loader must load its own copy");
            Constructor<?> newFormat = formatClass.getConstructor(int.class, int.class, int.class, int.class, boolean.class);
            for (String[] t : new String[][] {{"s16_jpeg_sv1.dcm", JpegLosslessDecoder.class.getName()},
                                              {"s16_j2k.dcm", Jpeg2000Decoder.class.getName()}}) {
                TestDicom d = TestDicom.fixture(t[0]);
                Object decoder = isolated.loadClass(t[1]).getConstructor().newInstance();
                Method decode = decoder.getClass().getMethod("decode", byte[].class, formatClass, short[].class, int.class);
                short[] out = new short[d.rows * d.columns];
                decode.invoke(decoder, d.frame(), newFormat.newInstance(d.rows, d.columns, 16, 16, true), out, 0);
                assertArrayEquals(TestDicom.fixture("s16_native.dcm").nativeSamples(), out, t[0]);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertEquals(previous, Thread.currentThread().getContextClassLoader());
    }
}
