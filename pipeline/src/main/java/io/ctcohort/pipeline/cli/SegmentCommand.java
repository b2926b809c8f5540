package io.ctcohort.pipeline.cli;

import io.ctcohort.engine.cli.DeviceConverter;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.OrtSettings;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ModelSource;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ctcohort segment}: segment and measure every exam of a manifest into Parquet. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segment every exam of a manifest with an ONNX model and measure every structure and biomarker.",
            "Writes OUT/runs/<run_id>/exams, measurements, biomarkers and validation (Parquet), then OUT/LATEST.",
            "An optional manifest column contrast_phase (native|arterial|portal_venous|delayed|unknown) wins"
                + " over the phase estimated from the images.",
            "An optional manifest column reference_mask_uri (a reference label map of the same CT) validates that"
                + " exam's segmentation into the validation table.",
            "Runs in local mode, or on a cluster under spark-submit with the application jar."})
public final class SegmentCommand extends JobCommand {
    @Mixin
    JobOptions options;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory (model.json + ONNX files); default: the bundled demo model.")
    Path model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV", converter = DeviceConverter.class,
            description = "auto (the GPU Spark assigns a task, else CPU), cpu, cuda (the GPU Spark assigns a task, "
                    + "else GPU 0), or cuda:N. Default: ${DEFAULT-VALUE}.")
    Device device;

    @Option(names = "--ort-threads", paramLabel = "N",
            description = "ONNX Runtime intra-op threads per session (default: Spark conf " + THREADS_CONF
                    + ", else each executor's system property ctcohort.ort.threads, else all cores).")
    String ortThreads;

    @Option(names = "--cuda-options", paramLabel = "K=V,...",
            description = "CUDA provider options that change or add to the defaults, e.g. use_tf32=1 (default: "
                    + "Spark conf " + CUDA_CONF + ", else each executor's system property ctcohort.cuda.options).")
    String cudaOptions;

    /** Spark conf: ONNX Runtime intra-op threads, where --ort-threads is not given. */
    static final String THREADS_CONF = "spark.ctcohort.ort.threads";
    /** Spark conf: CUDA provider options, where --cuda-options is not given. */
    static final String CUDA_CONF = "spark.ctcohort.cuda.options";

    @Override
    JobOptions options() {
        return options;
    }

    @Override
    ExamAnalyzer analyzer(SparkSession spark) {
        return modelAnalyzer(spark).on(device, settings(spark.sparkContext().getConf()));
    }

    /**
     * The ONNX Runtime settings, resolved once on the driver: the options, else the Spark conf; what
     * both leave unset each executor takes from its own system properties (SegmentAnalyzer).
     */
    OrtSettings settings(SparkConf conf) {
        return OrtSettings.parse(ortThreads, "--ort-threads", cudaOptions, "--cuda-options")
                .orElse(OrtSettings.parse(conf.get(THREADS_CONF, null), THREADS_CONF, conf.get(CUDA_CONF, null), CUDA_CONF));
    }

    private SegmentAnalyzer modelAnalyzer(SparkSession spark) {
        if (model == null) {
            return SegmentAnalyzer.of(ModelSource.BUNDLED);
        }
        Path dir = model.toAbsolutePath().normalize();
        if (spark.sparkContext().isLocal()) {
            return SegmentAnalyzer.of(ModelSource.directory(dir));
        }
        // A cluster: ship the model's files to every executor (they land in one SparkFiles folder).
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> spark.sparkContext().addFile(f.toUri().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("model " + dir + ": " + e.getMessage(), e);
        }
        return SegmentAnalyzer.of(dir, new ModelSource.SparkFiles());
    }
}
