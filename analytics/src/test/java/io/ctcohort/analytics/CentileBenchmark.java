package io.ctcohort.analytics;

import io.ctcohort.analytics.centiles.CentileCurves;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.centiles.CentileStudy;
import io.ctcohort.core.layout.OutputLayout;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A benchmark, not a test (surefire's default includes skip it; run it with
 * {@code mvn -B -o -pl analytics -am test -Dtest=CentileBenchmark -Dsurefire.failIfNoSpecifiedTests=false}):
 * the centile pass at the paper's scale, 4004 exams x 117 structures x 2 metrics x 2 sexes (468 groups,
 * 95 grid quantiles each), on the synthetic cohort of FullCohortBenchmarkTest. Prints, asserts no time:
 * <ul>
 *   <li>the Spark pass (local[2]) writing reference_centiles and exam_scores: first in this JVM (cold:
 *       JIT not yet warm), then again (warm);</li>
 *   <li>the fits alone on one thread, every grid quantile warm-started from its neighbour's vertex vs each
 *       from a fresh start, and on two threads.</li>
 * </ul>
 */
class CentileBenchmark extends SharedSpark {
    private static final int EXAMS = 4004;
    private static final int STRUCTURES = 117;

    @Test
    void fullCohort(@TempDir java.nio.file.Path tmp) {
        String run = tmp.resolve("runs").resolve("20261126T000000Z").toString();
        SyntheticCohort.write(spark, run, EXAMS, STRUCTURES);
        Dataset<Row> exams = spark.read().parquet(run + "/" + OutputLayout.EXAMS);
        Dataset<Row> measurements = spark.read().parquet(run + "/" + OutputLayout.MEASUREMENTS);
        QualityControl.Result qc = QualityControl.apply(spark, exams, measurements, StudyOptions.defaults());
        Dataset<Row> passed = qc.passed().cache();
        long rows = passed.count();
        CentileOptions options = CentileOptions.defaults();

        Map<String, String> sparkMs = new LinkedHashMap<>();
        for (String pass : List.of("cold JVM", "warm JVM")) {
            long t0 = System.nanoTime();
            long cpu0 = ProcessCpu.millis();
            CentileStudy.Result r = CentileStudy.run(spark, passed, 0, options);
            r.write(new Path(tmp.resolve(pass.replace(' ', '_')).toString()));
            sparkMs.put(pass, (System.nanoTime() - t0) / 1_000_000 + " ms wall, " + (ProcessCpu.millis() - cpu0) + " ms CPU");
            if (pass.startsWith("warm")) {
                assertEquals(STRUCTURES, r.charts().size());
            }
            r.release();
        }

        // the fits alone, on the driver: every group's (age, value) arrays
        List<double[][]> groups = new ArrayList<>();
        Map<String, List<double[]>> byGroup = new LinkedHashMap<>();
        for (Row r : passed.select("structure", "sex", "age", "volume_ml", "hu_mean").collectAsList()) {
            for (int m = 0; m < 2; m++) {
                if (!r.isNullAt(3 + m) && !r.isNullAt(2)) {
                    byGroup.computeIfAbsent(r.getString(0) + "/" + r.getString(1) + "/" + m, k -> new ArrayList<>())
                            .add(new double[] {r.getDouble(2), r.getDouble(3 + m)});
                }
            }
        }
        byGroup.values().forEach(list -> groups.add(new double[][] {
                list.stream().mapToDouble(x -> x[0]).toArray(), list.stream().mapToDouble(x -> x[1]).toArray()}));
        Map<String, long[]> fits = new LinkedHashMap<>();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (boolean warm : new boolean[] {true, false, true}) {
            AtomicLong pivots = new AtomicLong();
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (double[][] g : groups) {
                pivots.addAndGet(CentileCurves.fit(g[0], g[1], options, warm).pivots());
            }
            fits.put(warm ? "warm starts" : "cold starts", new long[] {(System.nanoTime() - t0) / 1_000_000, pivots.get(),
                    (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000});
        }
        ForkJoinPool pool = new ForkJoinPool(2);
        long t0 = System.nanoTime();
        pool.submit(() -> groups.parallelStream().forEach(g -> CentileCurves.fit(g[0], g[1], options, true))).join();
        long twoThreads = (System.nanoTime() - t0) / 1_000_000;
        pool.shutdown();

        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("BENCHMARK centiles %d exams x %d structures (%d QC rows, %d groups of %d-%d exams, %d grid "
                        + "quantiles each; %d cores, load %.1f)%n", EXAMS, STRUCTURES, rows, groups.size(),
                groups.stream().mapToInt(g -> g[0].length).min().orElse(0),
                groups.stream().mapToInt(g -> g[0].length).max().orElse(0), options.gridTaus().length,
                Runtime.getRuntime().availableProcessors(), load);
        System.out.printf("BENCHMARK Spark pass local[2] (fit, score, write reference_centiles + exam_scores): %s%n", sparkMs);
        long[] w = fits.get("warm starts");
        long[] c = fits.get("cold starts");
        System.out.printf("BENCHMARK fits alone, one thread: warm starts %d ms wall, %d ms CPU (%d pivots, %.1f per "
                        + "quantile); cold starts %d ms wall, %d ms CPU (%d pivots); two threads, warm starts: %d ms wall%n",
                w[0], w[2], w[1], w[1] / (double) (groups.size() * options.gridTaus().length), c[0], c[2], c[1], twoThreads);
        qc.passed().unpersist();
        passed.unpersist();
    }
}
