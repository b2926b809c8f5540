package io.ctcohort.engine.cli;

import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.model.BundledModels;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options that choose and run a model, shared by {@code segment-one}, {@code bench},
 * {@code evaluate-model} and the benchmarks in {@code io.ctcohort.engine.bench} (a picocli mixin).
 */
public final class SegmenterOptions {
    @Option(names = "--model", description = "model directory (model.json + .onnx); default: the bundled demo model")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", converter = DeviceConverter.class,
            description = "cpu or cuda:N (default: ${DEFAULT-VALUE})")
    Device device;

    @Option(names = "--batch", defaultValue = "1",
            description = "tiles per ONNX Runtime call (default: ${DEFAULT-VALUE})")
    int batch;

    /** The (cached) segmenter for these options. */
    public Segmenter segmenter() {
        return segmenter(device);
    }

    /** The (cached) segmenter for this model on another device. */
    public Segmenter segmenter(Device on) {
        return Segmenter.forModel(model != null ? model : BundledModels.demo(), on);
    }

    public Device device() {
        return device;
    }

    public int batch() {
        return batch;
    }
}
