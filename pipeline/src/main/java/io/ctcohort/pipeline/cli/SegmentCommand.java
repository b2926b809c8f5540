package io.ctcohort.pipeline.cli;

import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ModelSource;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.DeviceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ctcohort segment}: segment and measure every exam of a manifest into Parquet. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segment every exam of a manifest with an ONNX model and measure every structure and biomarker.",
            "Writes OUT/runs/<run_id>/exams, measurements and biomarkers (Parquet), then OUT/LATEST.",
            "An optional manifest column contrast_phase (native|arterial|portal_venous|delayed|unknown) wins"
                + " over the phase estimated from the images.",
            "Runs in local mode, or on a cluster under spark-submit with the application jar."})
public final class SegmentCommand extends JobCommand {
    @Mixin
    JobOptions options;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory (model.json + ONNX files); default: the bundled demo model.")
    Path model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV", converter = DeviceRequestConverter.class,
            description = "auto (the GPU Spark assigns a task, else CPU), cpu, cuda, or cuda:N. Default: ${DEFAULT-VALUE}.")
    DeviceRequest device;

    @Override
    JobOptions options() {
        return options;
    }

    @Override
    DeviceRequest deviceOption() {
        return device;
    }

    @Override
    ExamAnalyzer analyzer(SparkSession spark) {
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
