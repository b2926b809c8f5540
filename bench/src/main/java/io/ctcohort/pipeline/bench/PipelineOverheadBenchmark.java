package io.ctcohort.pipeline.bench;

import io.ctcohort.core.spark.SparkSessions;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.OrtSettings;
import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.exam.ModelSource;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What the pipeline costs on top of the engine, per exam: the same N phantom exams through the
 * {@code segment} job in Spark local mode (one task at a time, like the loop) and through the engine
 * in a plain loop in this JVM. Prints both times per exam and their ratio; asserts nothing.
 *
 * <pre>
 * java ... io.ctcohort.pipeline.bench.PipelineOverheadBenchmark [N=8] [WORKDIR] [MODEL_DIR]
 * (N: exams written when WORKDIR holds no cohort yet; an existing cohort is used whole)
 * </pre>
 * The loop runs first, so it pays the ONNX session creation and the JIT warm-up: the pipeline run
 * after it reuses the same cached session (as every task of an executor does), so the ratio is the
 * pipeline's own overhead: manifest, fingerprints, Spark tasks, staging, Parquet tables.
 */
public final class PipelineOverheadBenchmark {
    private PipelineOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Path work = args.length > 1 ? Paths.get(args[1]) : Files.createTempDirectory("ctcohort-bench-");
        Path model = args.length > 2 ? Paths.get(args[2]).toAbsolutePath() : BundledModels.demo();

        Path cohort = work.resolve("cohort");
        if (!Files.exists(cohort.resolve("manifest.csv"))) {
            System.out.printf("writing %d phantom exams to %s ...%n", n, cohort);
            new CohortWriter(new PhantomGenerator(2024), Runtime.getRuntime().availableProcessors()).write(cohort, n, false);
        }
        // Every exam of the cohort (the job below processes the whole manifest), as CohortWriter names them.
        List<Path> images;
        try (Stream<Path> files = Files.list(cohort.resolve("images"))) {
            images = files.filter(f -> f.getFileName().toString().endsWith(".nii.gz")).sorted().toList();
        }
        n = images.size();

        // Warm-up: one exam through the engine (session creation, JIT).
        EngineLoop.segmentAndMeasure(images.get(0), model, Device.CPU);
        long t = System.nanoTime();
        long rows = 0;
        for (Path image : images) {
            rows += EngineLoop.segmentAndMeasure(image, model, Device.CPU).size();
        }
        double loopSeconds = (System.nanoTime() - t) / 1e9;

        SparkSession spark = SparkSessions.create("ctcohort bench", "local[1]",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4"));
        RunSummary cold;
        RunSummary warm;
        try {
            SegmentAnalyzer analyzer = SegmentAnalyzer.of(ModelSource.directory(model))
                    .on(Device.CPU, OrtSettings.fromSystemProperties());
            CohortJob.Options o = new CohortJob.Options(cohort.resolve("manifest.csv").toString(),
                    work.resolve("out-" + System.nanoTime()).toString(), false, 0, false, 3);
            cold = new CohortJob(spark, analyzer, o, System.err).run();
            // Again in the same session (not incremental: every exam is processed again), as in a
            // long nightly run where Spark's own start-up costs are paid once.
            warm = new CohortJob(spark, analyzer, o, System.err).run();
        } finally {
            spark.stop();
        }
        double loop = loopSeconds / n;
        System.out.printf(Locale.ROOT, "exams: %d (%d measurement rows in the loop, %d in the tables)%n", n, rows,
                warm.measurementRows());
        System.out.printf(Locale.ROOT, "engine loop, one JVM:              %8.2f s/exam%n", loop);
        for (RunSummary s : List.of(cold, warm)) {
            String label = s == cold ? "first run" : "second run";
            System.out.printf(Locale.ROOT, "segment job %-10s process stage: %8.2f s/exam  (ratio %.2f), "
                            + "publish %.1f s once, whole run %.2f s/exam (ratio %.2f)%n", label,
                    s.processSeconds() / n, s.processSeconds() / n / loop, s.publishSeconds(), s.seconds() / n,
                    s.seconds() / n / loop);
        }
        System.out.printf(Locale.ROOT, "per-exam overhead of the pipeline (second run, process stage): %+.2f s/exam, "
                + "ratio %.2f%n", warm.processSeconds() / n - loop, warm.processSeconds() / n / loop);
    }
}
