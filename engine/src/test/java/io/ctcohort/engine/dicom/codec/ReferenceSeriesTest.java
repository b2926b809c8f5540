package io.ctcohort.engine.dicom.codec;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.dicom.FrameDecoders;
import io.ctcohort.engine.dicom.TransferSyntax;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The real CT of reference/dicom/ (122x101x112) in each compressed syntax decodes, slice for
 * slice, to exactly the HU of the native signed series (matched by ImagePositionPatient; stored
 * values differ: unsigned with intercept -2048 in some series).
 */
class ReferenceSeriesTest {
    private static final int SLICES = 112;
    private static Map<String, double[]> truth;

    @ParameterizedTest
    @ValueSource(strings = {"jpeg_lossless", "jpegls_lossless", "rle", "jpeg2000_lossless"})
    void everySliceDecodesToTheHuOfTheNativeSeries(String folder) throws IOException {
        Map<String, double[]> expected = truth();
        List<TestDicom> slices = series(folder);
        assertEquals(SLICES, slices.size(), folder);
        FrameDecoder decoder = decoderOf(slices.get(0));
        Map<String, double[]> decoded = new HashMap<>();
        for (TestDicom d : slices) {
            short[] out = new short[d.rows * d.columns];
            decoder.decode(d.frame(), d.format(), out, 0);
            String key = key(d.position);
            assertNotNull(expected.get(key), folder + ": no native slice at " + d.position);
            assertArrayEquals(expected.get(key), d.hu(out), folder + " slice at " + d.position);
            decoded.put(key, d.hu(out));
        }
        assertEquals(expected.keySet(), decoded.keySet(), folder + " covers every slice once");
        printThroughput(folder, decoder, slices);
    }

    /** Spark executors decode from many threads; the ImageIO-based decoders share one provider each. */
    @ParameterizedTest
    @ValueSource(strings = {"jpeg_lossless", "jpegls_lossless", "jpeg2000_lossless"})
    void decodesTheSameFromFourThreads(String folder) {
        Map<String, double[]> expected = truth();
        List<TestDicom> slices = series(folder);
        FrameDecoder decoder = decoderOf(slices.get(0));
        ForkJoinPool pool = new ForkJoinPool(4);
        try (Stream<TestDicom> parallel = slices.parallelStream()) {
            List<String> wrong = pool.submit(() -> parallel.filter(d -> {
                short[] out = new short[d.rows * d.columns];
                try {
                    decoder.decode(d.frame(), d.format(), out, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return !Arrays.equals(expected.get(key(d.position)), d.hu(out));
            }).map(d -> d.position).collect(Collectors.toList())).join();
            assertEquals(List.of(), wrong, folder + ": slices decoded differently in parallel");
        } finally {
            pool.shutdown();
        }
    }

    private static FrameDecoder decoderOf(TestDicom d) {
        return FrameDecoders.forSyntax(TransferSyntax.of(d.transferSyntax).orElseThrow(
                () -> new AssertionError("unknown transfer syntax " + d.transferSyntax)));
    }

    private static synchronized Map<String, double[]> truth() {
        if (truth == null) {
            Map<String, double[]> m = new HashMap<>();
            for (TestDicom d : series("explicit_le_int16")) {
                m.put(key(d.position), d.hu(d.nativeSamples()));
            }
            assertEquals(SLICES, m.size(), "native slices with distinct positions");
            truth = m;
        }
        return truth;
    }

    private static List<TestDicom> series(String folder) {
        Path dir = TestData.reference().resolve("dicom").resolve(folder);
        Assumptions.assumeTrue(Files.isDirectory(dir), "reference DICOM series absent: " + dir.toAbsolutePath());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().map(TestDicom::read).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ImagePositionPatient, normalized so "-11.319000" and "-11.319" match. */
    private static String key(String position) {
        return Stream.of(position.split("\\\\"))
                .map(v -> String.format(Locale.ROOT, "%.4f", Double.parseDouble(v.trim())))
                .collect(Collectors.joining("/"));
    }

    /** Printed, not asserted: the machine is shared. Best of three warm passes over the series. */
    private static void printThroughput(String folder, FrameDecoder decoder, List<TestDicom> slices)
            throws IOException {
        List<byte[]> frames = slices.stream().map(TestDicom::frame).collect(Collectors.toList());
        FrameFormat format = slices.get(0).format();
        short[] out = new short[format.pixels()];
        long best = Long.MAX_VALUE;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            for (byte[] f : frames) {
                decoder.decode(f, format, out, 0);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        double msPerSlice = best / 1e6 / frames.size();
        System.out.printf(Locale.ROOT, "decode %-18s %6.3f ms per %dx%d slice, %6.1f Mpixel/s%n", folder,
                msPerSlice, format.columns(), format.rows(), format.pixels() / msPerSlice / 1e3);
    }
}
