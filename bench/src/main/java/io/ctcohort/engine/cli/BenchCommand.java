package io.ctcohort.engine.cli;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.core.tables.Stage;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.infer.SegmentationResult;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.stats.StatisticsCalculator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@code bench}: milliseconds per stage (read, reorient, resample, normalize, infer, restore,
 * statistics) and peak memory for one CT through one model. Peak heap is reported two ways: the
 * largest heap use seen by a 5 ms sampler, and the sum of the heap pools' peaks (an upper bound).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time each stage of segmenting one CT and report peak memory.")
public final class BenchCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--ct", converter = ImageRefConverter.class, description = "CT: a NIfTI file (.nii, .nii.gz) or a DICOM series folder (DIR, or DIR#SeriesInstanceUID when it holds several)")
        ImageRef ct;

        @Option(names = "--synthetic", description = "synthetic CT of this size, e.g. 512x512x900")
        String synthetic;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--spacing", defaultValue = "0.8,0.8,1.0",
            description = "synthetic CT voxel spacing in mm, x,y,z (default: ${DEFAULT-VALUE})")
    String spacing;

    @Option(names = "--lps", description = "store the synthetic CT in LPS order (x and y flipped), as many DICOM conversions do")
    boolean lps;

    @Mixin
    SegmenterOptions modelOptions;

    @Override
    public Integer call() throws Exception {
        PeakHeap peak = PeakHeap.start();
        Map<String, Long> ms = new LinkedHashMap<>();
        Segmenter segmenter = modelOptions.segmenter();

        long t = System.nanoTime();
        CtVolume ct = input.ct != null ? CtReader.readLocal(input.ct) : synthetic(input.synthetic, spacing, lps);
        ms.put(Stage.READ.label(), (System.nanoTime() - t) / 1_000_000);

        SegmentationResult r = segmenter.segment(ct, modelOptions.batch());
        ms.putAll(r.stageMillis());

        t = System.nanoTime();
        int present = (int) StatisticsCalculator.compute(ct, r.labels(), segmenter.labelMap()).stream()
                .filter(s -> s.voxelCount() > 0).count();
        ms.put("statistics", (System.nanoTime() - t) / 1_000_000);
        peak.stop();

        System.out.printf("bench: %s (%s) on %s, model %s (%d labels, patch %s, spacing %s mm), device %s%n",
                input.ct != null ? input.ct : "synthetic " + input.synthetic, ct.geometry(),
                Runtime.version(), segmenter.card().id(), segmenter.labels().size(),
                java.util.Arrays.toString(segmenter.card().patchSize()),
                java.util.Arrays.toString(segmenter.card().targetSpacingMm()), segmenter.device());
        long total = 0;
        for (Map.Entry<String, Long> e : ms.entrySet()) {
            System.out.printf("  %-11s %8d ms%n", e.getKey(), e.getValue());
            total += e.getValue();
        }
        System.out.printf("  %-11s %8d ms%n", Stage.TOTAL.label(), total);
        System.out.printf("  structures found: %d%n", present);
        System.out.printf("  peak heap used (sampled): %d MiB of max %d MiB%n", peak.sampled() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("  peak heap (sum of pool peaks, upper bound): %d MiB%n", peak.poolPeaks() >> 20);
        System.out.printf("  peak direct buffers (sampled): %d MiB%n", peak.direct() >> 20);
        String hwm = processHighWaterMark();
        if (hwm != null) {
            System.out.printf("  process peak RSS (VmHWM, includes ONNX Runtime native memory): %s%n", hwm);
        }
        return 0;
    }

    /**
     * A body-like synthetic CT: air outside an elliptic cylinder, inside a repeating pattern of HU
     * values from -900 to 1500 so that many classes of a pointwise model appear.
     */
    static CtVolume synthetic(String size, String spacing, boolean lps) {
        String[] d = size.toLowerCase().split("x");
        String[] s = spacing.split(",");
        if (d.length != 3 || s.length != 3) {
            throw new CtCohortException("--synthetic needs NXxNYxNZ and --spacing sx,sy,sz, got " + size + " / " + spacing);
        }
        int nx, ny, nz;
        double sx, sy, sz;
        Geometry g;
        try {
            nx = Integer.parseInt(d[0].trim());
            ny = Integer.parseInt(d[1].trim());
            nz = Integer.parseInt(d[2].trim());
            sx = Double.parseDouble(s[0]);
            sy = Double.parseDouble(s[1]);
            sz = Double.parseDouble(s[2]);
            g = Geometry.axisAligned(nx, ny, nz, sx, sy, sz);
        } catch (IllegalArgumentException e) { // NumberFormatException, or a size that is not positive
            throw new CtCohortException("--synthetic " + size + " / --spacing " + spacing + ": " + e.getMessage());
        }
        if (lps) {
            g = new Geometry(nx, ny, nz, new double[] {-sx, 0, 0, 0, 0, -sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1},
                    new double[] {sx, sy, sz});
        }
        short[] hu = new short[Math.toIntExact(g.voxelCount())];
        double rx = nx * 0.45;
        double ry = ny * 0.35;
        IntStream.range(0, nz).parallel().forEach(z -> {
            for (int y = 0; y < ny; y++) {
                double dy = (y - ny / 2.0) / ry;
                for (int x = 0; x < nx; x++) {
                    double dx = (x - nx / 2.0) / rx;
                    int i = x + nx * (y + ny * z);
                    hu[i] = dx * dx + dy * dy > 1 ? -1000
                            : (short) (-900 + 100 * ((x / 24 + y / 24 + z / 16) % 25));
                }
            }
        });
        return new CtVolume(g, hu);
    }

    private static String processHighWaterMark() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    /** Tracks peak heap (sampled every 5 ms and via pool peaks) and direct buffer use. */
    static final class PeakHeap {
        private final AtomicLong sampled = new AtomicLong();
        private final AtomicLong direct = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        static PeakHeap start() {
            PeakHeap p = new PeakHeap();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            BufferPoolMXBean directPool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);
            p.thread = new Thread(() -> {
                while (p.running) {
                    p.sampled.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    if (directPool != null) {
                        p.direct.accumulateAndGet(directPool.getMemoryUsed(), Math::max);
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "peak-heap");
            p.thread.setDaemon(true);
            p.thread.start();
            return p;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long sampled() {
            return sampled.get();
        }

        long direct() {
            return direct.get();
        }

        long poolPeaks() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
                    .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
        }
    }

    /** Runs without the pipeline module: {@code java -cp <engine classpath> io.ctcohort.engine.cli.BenchCommand ...}. */
    public static void main(String[] args) {
        System.exit(BadInputHandler.commandLine(new BenchCommand()).execute(args));
    }
}
