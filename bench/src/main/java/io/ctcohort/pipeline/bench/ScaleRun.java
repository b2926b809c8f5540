package io.ctcohort.pipeline.bench;

import io.ctcohort.core.spark.SparkSessions;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code measure} run of {@link ScaleBenchmark} in its own JVM (so that its wall time is the
 * whole process's): runs the job, then checks one row per key in the published run, and prints
 * one line {@code SCALE k=v ...} with the figures.
 * <pre>java ... ScaleRun MANIFEST OUT LABELS_TSV MASTER EXPECTED_EXAMS</pre>
 */
final class ScaleRun {
    static final String PREFIX = "SCALE ";
    private static final Pattern STAGING_FILES = Pattern.compile("(\\d+) staging files");
    /** BucketedTables's line: the bytes of table files this run wrote (not those carried from the previous run). */
    private static final Pattern WRITTEN = Pattern.compile("wrote (\\d+) bytes of table files");

    private ScaleRun() {
    }

    public static void main(String[] args) throws Exception {
        String manifest = args[0];
        Path out = Paths.get(args[1]);
        LabelMap labels = LabelMap.fromTsv(Paths.get(args[2]));
        String master = args[3];
        long expected = Long.parseLong(args[4]);

        AtomicLong heapAfterGc = watchHeapAfterGc();
        SparkSession spark = SparkSessions.create("ctcohort scale", master, Map.of("spark.ui.enabled", "false"));
        AtomicLong tasks = new AtomicLong();
        AtomicLong runMs = new AtomicLong();
        AtomicLong cpuNs = new AtomicLong();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                tasks.incrementAndGet();
                if (end.taskMetrics() != null) {
                    runMs.addAndGet(end.taskMetrics().executorRunTime());
                    cpuNs.addAndGet(end.taskMetrics().executorCpuTime());
                }
            }
        });
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new Tee(System.err, said), true, StandardCharsets.UTF_8);
        CohortJob.Options o = new CohortJob.Options(manifest, out.toString(), true, 0, false, 3);
        RunSummary s = new CohortJob(spark, new MeasureAnalyzer(labels, "masks:tiny"), o, err).run();
        double processSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        // CPU time of the whole process (driver and local executors): what a shared machine's load does not inflate.
        double cpuSeconds = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        // Peak resident set until the job returned: the exactly-once check below runs DuckDB in this process.
        long rssJob = ScaleBenchmark.rssPeak(ProcessHandle.current().pid());
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        Matcher m = STAGING_FILES.matcher(said.toString(StandardCharsets.UTF_8));
        long stagingFiles = m.find() ? Long.parseLong(m.group(1)) : s.processed();
        Matcher w = WRITTEN.matcher(said.toString(StandardCharsets.UTF_8));
        long writtenBytes = w.find() ? Long.parseLong(w.group(1)) : -1;
        long tasksOfRun = tasks.get();

        // Exactly once: one row per (exam, model) and per (exam, structure, model), none missing.
        String run = out.resolve("runs").resolve(s.runId()).toString();
        RunKeyCounts k = DuckDbKeyCounts.of(Paths.get(run));
        boolean once = k.examRows() == expected && k.examKeys() == expected && s.ok() == expected
                && k.measurementRows() == expected * TinyCohort.STRUCTURES && k.duplicated() == 0;
        spark.stop();

        System.out.println(PREFIX + String.format(Locale.ROOT,
                "processed=%d carried=%d reused=%d plan=%.3f process=%.3f publish=%.3f job=%.3f jvm=%.3f cpu=%.3f "
                        + "heap_peak=%d tasks=%d executor_run_ms=%d executor_cpu_ms=%d staging_files=%d "
                        + "table_files=%d table_bytes=%d written_bytes=%d exam_rows=%d measurement_rows=%d exactly_once=%s "
                        + "rss_job=%d heap_after_gc=%d heap_max=%d",
                s.processed(), s.carried(), s.reused(), s.seconds() - s.processSeconds() - s.publishSeconds(),
                s.processSeconds(), s.publishSeconds(), s.seconds(), processSeconds, cpuSeconds, heapPeak, tasksOfRun,
                runMs.get(), cpuNs.get() / 1_000_000, stagingFiles, dataFiles(Paths.get(run)),
                dataBytes(Paths.get(run)), writtenBytes, k.examRows(), k.measurementRows(), once, rssJob,
                heapAfterGc.get(), Runtime.getRuntime().maxMemory()));
    }

    /**
     * The most heap in use right after a collection, over the run: what it held live (an upper bound: an old
     * generation not yet collected still counts its garbage). The pools' peaks ({@code heap_peak}) are not
     * that: each pool peaks at another moment, and a collector lets the young pools fill the free heap.
     */
    private static AtomicLong watchHeapAfterGc() {
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        AtomicLong max = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    long used = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo()
                            .getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed()).sum();
                    max.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        return max;
    }

    private static long dataFiles(Path run) throws Exception {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    private static long dataBytes(Path run) throws Exception {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    /** Writes to both streams: the job's lines go to the terminal and are kept for parsing. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
