package io.ctcohort.pipeline.bench;

import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.cli.SparkSessions;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What the pipeline costs on top of the engine, per exam: the same N phantom exams through the
 * {@code segment} job in Spark local mode (one task at a time, like the loop) and through the engine
 * in a plain loop in this JVM. Prints both times per exam and their ratio; asserts nothing.
 *
 * <pre>
 * java ... io.ctcohort.pipeline.bench.PipelineOverheadBenchmark [N=8] [WORKDIR] [MODEL_DIR]
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
        List<String> lines = Files.readAllLines(cohort.resolve("manifest.csv"));
        int col = List.of(lines.get(0).split(",")).indexOf("image_uri");
        List<Path> images = new ArrayList<>();
        for (String line : lines.subList(1, Math.min(lines.size(), n + 1))) {
            String uri = line.split(",")[col];
            images.add(uri.startsWith("file:") ? Paths.get(java.net.URI.create(uri)) : cohort.resolve(uri));
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
        double jobSeconds;
        RunSummary summary;
        try {
            SegmentAnalyzer analyzer = SegmentAnalyzer.of(model, model.toString());
            Path out = work.resolve("out-" + System.nanoTime());
            t = System.nanoTime();
            summary = new CohortJob(spark, analyzer, new CohortJob.Options(cohort.resolve("manifest.csv").toString(),
                    out.toString(), false, 0, "cpu", false, 3), System.err).run();
            jobSeconds = (System.nanoTime() - t) / 1e9;
        } finally {
            spark.stop();
        }
        System.out.printf(Locale.ROOT, "exams: %d (%d measurement rows in the loop, %d in the tables)%n", n, rows,
                summary.measurementRows());
        System.out.printf(Locale.ROOT, "engine loop, one JVM:        %8.2f s/exam%n", loopSeconds / n);
        System.out.printf(Locale.ROOT, "segment job, local[1] Spark: %8.2f s/exam (whole run incl. Parquet tables)%n",
                jobSeconds / n);
        System.out.printf(Locale.ROOT, "overhead: %+.2f s/exam, ratio job/loop = %.3f%n",
                (jobSeconds - loopSeconds) / n, jobSeconds / loopSeconds);
    }
}
