package io.ctcohort.engine.bench;

import io.ctcohort.engine.cli.SegmenterOptions;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.Prefetcher;
import io.ctcohort.engine.infer.PreparedCt;
import io.ctcohort.engine.infer.RunClock;
import io.ctcohort.engine.infer.SegmentationResult;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Exams per hour of segment + measure on one device, serial against overlapped, in one JVM. An
 * overlap configuration is T tasks sharing the device and its one session (as T Spark tasks of an
 * executor with {@code spark.task.resource.gpu.amount = 1/T}), each with a prefetch of depth D (the
 * next exam read and preprocessed on a helper thread while the current one infers). Exams are dealt
 * to tasks round-robin, like partitions. Prints per-stage milliseconds, ONNX Runtime calls (per-tile
 * time), the share of wall time a run was in flight (device busy), exams/hour and the ratio to the
 * serial path (T=1, D=0), and checks every configuration's measurements equal the serial path's.
 * Figures are printed, never asserted; exit 1 only when results differ. With {@code --rounds} the
 * configurations run in turn several times and each keeps its fastest round.
 *
 * <pre>java -cp ... io.ctcohort.engine.bench.OverlapBenchmark [--model DIR] [--device cpu|cuda:N]
 *     [--exams N | --images DIR] [--configs 1x0,1x1,2x0,2x1,4x1] [--rounds R]</pre>
 */
@Command(name = "overlap-benchmark", mixinStandardHelpOptions = true,
        description = "Exams/hour of segment + measure, serial vs overlapped (tasks per device x prefetch depth).")
public final class OverlapBenchmark implements Callable<Integer> {
    /** --model, --device, --batch. */
    @Mixin
    SegmenterOptions model;

    @Option(names = "--exams", defaultValue = "8", description = "phantom exams to generate")
    int exams;

    @Option(names = "--images", description = "a folder of .nii.gz CTs to use instead of phantoms")
    Path images;

    @Option(names = "--configs", defaultValue = "1x0,1x1,2x0,2x1", split = ",",
            description = "TxD: T tasks sharing the device, prefetch depth D; the first is the baseline "
                    + "(default: ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--rounds", defaultValue = "1",
            description = "run the configurations this many times in turn and keep each one's fastest "
                    + "(a shared machine's load drifts; default: ${DEFAULT-VALUE})")
    int rounds;

    /** One configuration's figures. */
    record Run(String config, double seconds, Map<String, Long> stageMillis, RunClock.Snapshot calls,
               long prefetchWaitMs, Map<Path, List<StructureStatistics>> results) {
        double examsPerHour(int n) {
            return n / seconds * 3600;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OverlapBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Path> cts = images != null ? list(images) : phantoms(exams);
        Segmenter segmenter = model.segmenter();
        Device device = model.device();
        System.out.printf(Locale.ROOT, "overlap benchmark: %d exams, model %s (%d labels, patch %s), device %s, "
                        + "%d cores, ORT threads %s%n", cts.size(), segmenter.card().id(), segmenter.labels().size(),
                Arrays.toString(segmenter.card().patchSize()), device, Runtime.getRuntime().availableProcessors(),
                segmenter.handle().settings().intraOpThreads() > 0 ? segmenter.handle().settings().intraOpThreads()
                        : "default");
        long w = System.nanoTime();
        finish(segmenter, prepare(segmenter, cts.get(0))); // session creation, cuDNN's search, JIT
        System.out.printf(Locale.ROOT, "warm-up (session, first exam): %.1f s%n", (System.nanoTime() - w) / 1e9);

        List<Run> best = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < configs.size(); i++) {
                String[] td = configs.get(i).trim().split("x");
                Run r = run(segmenter, cts, Integer.parseInt(td[0]), Integer.parseInt(td[1]));
                if (best.size() <= i) {
                    best.add(r);
                } else if (r.seconds() < best.get(i).seconds()) {
                    best.set(i, r);
                }
            }
        }
        return report(best, cts.size()) ? 0 : 1;
    }

    static List<Path> phantoms(int n) throws Exception {
        Path dir = Files.createTempDirectory("ctcohort-overlap-");
        new CohortWriter(new PhantomGenerator(2024), Runtime.getRuntime().availableProcessors()).write(dir, n, false);
        return list(dir.resolve("images"));
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".nii.gz")).sorted().toList();
        }
    }

    /** A read CT and its preparation, with the read's milliseconds. */
    private record Ready(CtVolume ct, PreparedCt prepared, long readMs) {
    }

    private static Ready prepare(Segmenter segmenter, Path image) {
        long t = System.nanoTime();
        CtVolume ct = CtReader.readLocal(ImageRef.of(image));
        long readMs = (System.nanoTime() - t) / 1_000_000;
        return new Ready(ct, segmenter.prepare(ct), readMs);
    }

    private List<StructureStatistics> finish(Segmenter segmenter, Ready ready) {
        SegmentationResult seg = segmenter.segment(ready.prepared(), model.batch());
        return StatisticsCalculator.compute(ready.ct(), seg.labels(), segmenter.labelMap());
    }

    private Run run(Segmenter segmenter, List<Path> cts, int tasks, int depth) throws Exception {
        Map<String, Long> stages = new ConcurrentHashMap<>();
        Map<Path, List<StructureStatistics>> results = new ConcurrentHashMap<>();
        long[] waited = new long[tasks];
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        RunClock.Snapshot before = RunClock.snapshot();
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < tasks; k++) {
                List<Path> mine = new ArrayList<>();
                for (int i = k; i < cts.size(); i += tasks) {
                    mine.add(cts.get(i));
                }
                int task = k;
                done.add(pool.submit(() -> {
                    try (Prefetcher<Path, Ready> ahead = new Prefetcher<>(mine.iterator(),
                            p -> prepare(segmenter, p), depth)) {
                        while (ahead.hasNext()) {
                            Prefetcher.Prepared<Path, Ready> p = ahead.next();
                            waited[task] += p.waitNanos() / 1_000_000;
                            Ready ready = p.get();
                            long t = System.nanoTime();
                            SegmentationResult seg = segmenter.segment(ready.prepared(), model.batch());
                            long s = System.nanoTime();
                            results.put(p.item(), StatisticsCalculator.compute(ready.ct(), seg.labels(),
                                    segmenter.labelMap()));
                            stages.merge("read", ready.readMs(), Long::sum);
                            seg.stageMillis().forEach((k2, v) -> stages.merge(k2, v, Long::sum));
                            stages.merge("stats", (System.nanoTime() - s) / 1_000_000, Long::sum);
                            stages.merge("infer+restore+stats (task thread)", (System.nanoTime() - t) / 1_000_000,
                                    Long::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(tasks + " task" + (tasks > 1 ? "s" : "") + ", prefetch " + depth, seconds, new TreeMap<>(stages),
                RunClock.snapshot().since(before), Arrays.stream(waited).sum(), results);
    }

    /** Prints the table; true when every configuration measured what the first did. */
    static boolean report(List<Run> runs, int n) {
        Run base = runs.get(0);
        boolean allSame = true;
        System.out.println();
        System.out.println("config               wall s   exams/h  vs first  device busy  runs  ms/run  "
                + "prefetch wait ms/exam  identical");
        for (Run r : runs) {
            boolean same = r.results().equals(base.results());
            allSame &= same;
            System.out.printf(Locale.ROOT, "%-20s %7.1f %9.0f %8.2fx %10.0f%% %5d %7.1f %22.0f  %s%n", r.config(),
                    r.seconds(), r.examsPerHour(n), r.examsPerHour(n) / base.examsPerHour(n),
                    100.0 * r.calls().busyNanos() / 1e9 / r.seconds(), r.calls().calls(), r.calls().msPerCall(),
                    (double) r.prefetchWaitMs() / n, same ? "yes" : "NO");
        }
        System.out.println();
        System.out.println("mean ms per exam and stage (summed over tasks: overlapped stages exceed the wall):");
        for (Run r : runs) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", r.config()));
            r.stageMillis().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.0f,", k, (double) v / n)));
            System.out.println(sb.substring(0, sb.length() - 1));
        }
        System.out.println(allSame ? "measurements identical in every configuration"
                : "MEASUREMENTS DIFFER between configurations");
        return allSame;
    }
}
