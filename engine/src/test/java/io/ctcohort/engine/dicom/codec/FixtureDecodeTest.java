package io.ctcohort.engine.dicom.codec;

import io.ctcohort.engine.dicom.FrameDecoders;
import io.ctcohort.engine.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Small synthetic images (src/test/resources/dicom/, see its README.md) encoded by dcmtk and gdcm:
 * signed 16-bit, BitsStored 12 and 8-bit, every JPEG predictor, JPEG-LS default and preset
 * parameters, near-lossless, point transform and restart intervals. Each decodes to its native
 * original, written at an offset into a larger array without touching the rest.
 */
class FixtureDecodeTest {
    private static final short SENTINEL = 0x5A5A;

    static Stream<Arguments> losslessFixtures() {
        List<Arguments> cases = new ArrayList<>();
        for (String image : List.of("s16", "u12", "u8")) {
            cases.add(Arguments.of(image + "_rle.dcm", image));
            cases.add(Arguments.of(image + "_jpegls.dcm", image));
            cases.add(Arguments.of(image + "_j2k.dcm", image));
            for (int sv = 1; sv <= 7; sv++) {
                cases.add(Arguments.of(image + "_jpeg_sv" + sv + ".dcm", image));
            }
        }
        cases.add(Arguments.of("u12_jpeg_p12_sv1.dcm", "u12"));
        cases.add(Arguments.of("u12_jpegls_p12.dcm", "u12"));
        cases.add(Arguments.of("u12_jpegls_lse.dcm", "u12"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losslessFixtures")
    void decodesToTheNativeOriginal(String compressed, String image) throws IOException {
        TestDicom c = TestDicom.fixture(compressed);
        FrameDecoder decoder = FrameDecoders.forSyntax(TransferSyntax.of(c.transferSyntax).orElseThrow());
        assertSameValues(TestDicom.fixture(image + "_native.dcm"), decodeAtOffset(decoder, c.frame(), c.format()), 0);
    }

    /** dcmtk's +pt 2: the stream holds v >> 2, the decoder shifts back: the low two bits are 0. */
    @Test
    void jpegPointTransformRestoresTheScale() throws IOException {
        TestDicom c = TestDicom.fixture("u12_jpeg_sv1_pt2.dcm");
        assertSameValues(TestDicom.fixture("u12_native.dcm"), decodeAtOffset(new JpegLosslessDecoder(), c.frame(),
                c.format()), 2);
    }

    /** Near-lossless (NEAR 3 and 2): exactly what CharLS (dcmdjpls) decodes, within NEAR of the original. */
    @Test
    void jpegLsNearLosslessMatchesCharLs() throws IOException {
        for (String[] t : new String[][] {{"u12_jpegls_near3", "u12", "3"}, {"u8_jpegls_near2", "u8", "2"}}) {
            TestDicom c = TestDicom.fixture(t[0] + ".dcm");
            short[] out = decodeAtOffset(new JpegLsDecoder(), c.frame(), c.format());
            assertSameValues(TestDicom.fixture(t[0] + "_decoded.dcm"), out, 0);
            TestDicom original = TestDicom.fixture(t[1] + "_native.dcm");
            short[] o = original.nativeSamples();
            int near = Integer.parseInt(t[2]);
            int worst = 0;
            for (int i = 0; i < o.length; i++) {
                worst = Math.max(worst, Math.abs(original.value(out[i + 3]) - original.value(o[i])));
            }
            assertTrue(worst <= near && worst > 0, t[0] + ": largest error " + worst + ", NEAR " + near);
        }
    }

    /** Restart intervals (bare streams built by make_fixtures.py, checked there with dcmtk and gdcm). */
    @Test
    void restartIntervalsDecode() throws IOException {
        for (String image : List.of("s16", "u8")) {
            TestDicom original = TestDicom.fixture(image + "_native.dcm");
            int rows = image.equals("s16") ? 10 : 7;
            byte[] jpeg = TestDicom.resource(image + "_jpeg_sv1_restart" + rows + ".jpg");
            assertSameValues(original, decodeAtOffset(new JpegLosslessDecoder(), jpeg, original.format()), 0);
            byte[] jls = TestDicom.resource(image + "_jpegls_restart" + rows + ".jls");
            assertSameValues(original, decodeAtOffset(new JpegLsDecoder(), jls, original.format()), 0);
        }
    }

    /** Decodes into out[3 ..] of an array 6 longer, checking the 3 words either side stay untouched. */
    static short[] decodeAtOffset(FrameDecoder decoder, byte[] frame, FrameFormat format) throws IOException {
        short[] out = new short[format.pixels() + 6];
        java.util.Arrays.fill(out, SENTINEL);
        decoder.decode(frame, format, out, 3);
        for (int i : new int[] {0, 1, 2, out.length - 3, out.length - 2, out.length - 1}) {
            assertEquals(SENTINEL, out[i], "decoder wrote outside its frame at " + i);
        }
        return out;
    }

    /** out[3 + i] against the native sample i, with the low {@code dropBits} bits of the original cleared. */
    private static void assertSameValues(TestDicom original, short[] out, int dropBits) {
        short[] expected = original.nativeSamples();
        for (int i = 0; i < expected.length; i++) {
            int want = original.value(expected[i]) >> dropBits << dropBits;
            int got = original.value(out[i + 3]);
            if (want != got) {
                fail("sample " + i + " (row " + i / original.columns + ", column " + i % original.columns + "): "
                        + got + ", expected " + want);
            }
        }
    }
}
