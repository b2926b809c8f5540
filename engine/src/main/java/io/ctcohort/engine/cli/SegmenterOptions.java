package io.ctcohort.engine.cli;

import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.model.BundledModels;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options that choose and run a model, shared by {@code segment-one}, {@code bench} and {@code evaluate-model} (a picocli mixin). */
final class SegmenterOptions {
    @Option(names = "--model", description = "model directory (model.json + .onnx); default: the bundled demo model")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", converter = DeviceConverter.class,
            description = "cpu or cuda:N (default: ${DEFAULT-VALUE})")
    Device device;

    @Option(names = "--batch", defaultValue = "1",
            description = "tiles per ONNX Runtime call (default: ${DEFAULT-VALUE})")
    int batch;

    /** The (cached) segmenter for these options. */
    Segmenter segmenter() {
        return Segmenter.forModel(model != null ? model : BundledModels.demo(), device);
    }

    int batch() {
        return batch;
    }
}
