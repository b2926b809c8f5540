package io.ctcohort.engine.dicom.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corrupt, truncated and mismatched frames give an IOException whose message says what is wrong;
 * nothing hangs, and nothing escapes as another exception.
 */
class BadFrameTest {
    /** codec name in messages, decoder, a 16-bit fixture, an 8-bit fixture */
    static Stream<Arguments> codecs() {
        return Stream.of(
                Arguments.of("RLE", new RleDecoder(), "s16_rle.dcm", "u8_rle.dcm"),
                Arguments.of("JPEG lossless", new JpegLosslessDecoder(), "s16_jpeg_sv1.dcm", "u8_jpeg_sv7.dcm"),
                Arguments.of("JPEG-LS", new JpegLsDecoder(), "s16_jpegls.dcm", "u8_jpegls.dcm"),
                Arguments.of("JPEG 2000", new Jpeg2000Decoder(), "s16_j2k.dcm", "u8_j2k.dcm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void truncatedFramesFailClearly(String codec, FrameDecoder decoder, String fixture16, String fixture8) {
        for (String name : new String[] {fixture16, fixture8}) {
            TestDicom d = TestDicom.fixture(name);
            byte[] frame = d.frame();
            for (double keep : new double[] {0.02, 0.3, 0.6, 0.9}) {
                byte[] cut = Arrays.copyOf(frame, (int) (frame.length * keep));
                IOException e = assertThrows(IOException.class, () -> decode(decoder, cut, d.format()),
                        name + " cut to " + cut.length + " of " + frame.length + " bytes");
                assertTrue(e.getMessage().contains(codec), e.getMessage());
                assertTrue(keep < 0.1 || e.getMessage().matches(".*(truncated|ends).*"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void aFrameOfAnotherSizeIsRefused(String codec, FrameDecoder decoder, String fixture16, String fixture8) {
        TestDicom d = TestDicom.fixture(fixture16);
        FrameFormat f = d.format();
        FrameFormat taller = new FrameFormat(f.rows() + 1, f.columns(), 16, 16, f.signed());
        IOException e = assertThrows(IOException.class, () -> decode(decoder, d.frame(), taller));
        assertTrue(e.getMessage().contains(codec), e.getMessage());
        assertTrue(e.getMessage().contains(codec.equals("RLE") ? "ends after" : "the data set says"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void sixteenBitSamplesDoNotFitEightBitsAllocated(String codec, FrameDecoder decoder, String fixture16,
                                                     String fixture8) {
        TestDicom d = TestDicom.fixture(fixture16);
        FrameFormat eightBit = new FrameFormat(d.rows, d.columns, 8, 8, false);
        IOException e = assertThrows(IOException.class, () -> decode(decoder, d.frame(), eightBit));
        assertTrue(e.getMessage().contains(codec.equals("RLE") ? "expected 1" : "BitsAllocated 8"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void garbageFailsClearly(String codec, FrameDecoder decoder, String fixture16, String fixture8) {
        FrameFormat format = TestDicom.fixture(fixture16).format();
        Random random = new Random(42);
        for (int length : new int[] {0, 1, 2, 63, 64, 100, 5000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            IOException e = assertThrows(IOException.class, () -> decode(decoder, garbage, format),
                    length + " random bytes");
            assertTrue(e.getMessage().contains(codec), e.getMessage());
        }
    }

    /**
     * Random damage to valid frames (bytes overwritten, cut, repeated): each must decode (damage to
     * entropy-coded data is not always detectable) or throw an IOException, quickly.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void damagedFramesNeverHangOrThrowAnythingElse(String codec, FrameDecoder decoder, String fixture16,
                                                   String fixture8) {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random random = new Random(7);
            for (String name : new String[] {fixture16, fixture8}) {
                TestDicom d = TestDicom.fixture(name);
                byte[] frame = d.frame();
                for (int trial = 0; trial < 150; trial++) {
                    byte[] damaged = damage(frame, random);
                    try {
                        decode(decoder, damaged, d.format());
                    } catch (IOException expected) {
                        assertTrue(expected.getMessage().contains(codec), expected.getMessage());
                    }
                }
            }
        });
    }

    @Test
    void aFrameOfAnotherCodecIsNamed() {
        TestDicom jls = TestDicom.fixture("s16_jpegls.dcm");
        IOException e = assertThrows(IOException.class, () -> decode(new JpegLosslessDecoder(), jls.frame(),
                jls.format()));
        assertTrue(e.getMessage().contains("SOF55"), e.getMessage());
        TestDicom jpeg = TestDicom.fixture("s16_jpeg_sv1.dcm");
        e = assertThrows(IOException.class, () -> decode(new JpegLsDecoder(), jpeg.frame(), jpeg.format()));
        assertTrue(e.getMessage().contains("SOF3"), e.getMessage());
        e = assertThrows(IOException.class, () -> decode(new Jpeg2000Decoder(), jpeg.frame(), jpeg.format()));
        assertTrue(e.getMessage().contains("SOC"), e.getMessage());
    }

    @Test
    void aCallerErrorIsNotAnIoException() {
        TestDicom d = TestDicom.fixture("u8_rle.dcm");
        assertThrows(IllegalArgumentException.class,
                () -> new RleDecoder().decode(d.frame(), d.format(), new short[d.rows * d.columns - 1], 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RleDecoder().decode(d.frame(), new FrameFormat(d.rows, d.columns, 12, 12, false),
                        new short[d.rows * d.columns], 0));
    }

    private static void decode(FrameDecoder decoder, byte[] frame, FrameFormat format) throws IOException {
        decoder.decode(frame, format, new short[format.pixels()], 0);
    }

    private static byte[] damage(byte[] frame, Random random) {
        byte[] d = frame.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> d = Arrays.copyOf(d, random.nextInt(d.length));
            default -> {
                int from = random.nextInt(d.length);
                int len = random.nextInt(d.length - from);
                byte[] longer = Arrays.copyOf(d, d.length + len);
                System.arraycopy(d, from, longer, from + len, d.length - from);
                d = longer;
            }
        }
        return d;
    }
}
