package io.ctcohort.engine.cli;

import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.ModelHandle;
import io.ctcohort.engine.infer.ModelHandles;
import io.ctcohort.engine.infer.OrtSettings;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.model.BundledModels;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options that choose and run a model, shared by {@code segment-one}, {@code bench},
 * {@code evaluate-model} and the benchmarks in {@code io.ctcohort.engine.bench} (a picocli mixin).
 * Resolved here, once: the device to a concrete one (outside Spark nothing is assigned, so
 * {@code cuda} is cuda:0 and {@code auto} the CPU), the ONNX Runtime settings to an
 * {@link OrtSettings} (an option left out falls back to its system property).
 */
public final class SegmenterOptions {
    @Option(names = "--model", description = "model directory (model.json + .onnx); default: the bundled demo model")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", converter = DeviceConverter.class,
            description = "cpu, cuda (GPU 0) or cuda:N (default: ${DEFAULT-VALUE})")
    Device device;

    @Option(names = "--batch", defaultValue = "1",
            description = "tiles per ONNX Runtime call (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--ort-threads", paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: system property ctcohort.ort.threads, "
                    + "else ONNX Runtime's own: all cores)")
    String ortThreads;

    @Option(names = "--cuda-options", paramLabel = "K=V,...",
            description = "CUDA provider options that change or add to the defaults, e.g. use_tf32=1 "
                    + "(default: system property ctcohort.cuda.options)")
    String cudaOptions;

    /** The segmenter for these options (from the JVM's handle of the model). */
    public Segmenter segmenter() {
        return segmenter(device());
    }

    /** The segmenter for this model on another device (a request is resolved as {@link #device}). */
    public Segmenter segmenter(Device on) {
        return handle().segmenter(on.resolve(null));
    }

    /** The registry's handle of the model with these settings. */
    public ModelHandle handle() {
        return ModelHandles.open(model != null ? model : BundledModels.demo(), settings());
    }

    /** The ONNX Runtime settings: the options, else the system properties. */
    public OrtSettings settings() {
        return OrtSettings.parse(ortThreads, "--ort-threads", cudaOptions, "--cuda-options")
                .orElse(OrtSettings.fromSystemProperties());
    }

    /** The concrete device (no GPU is assigned outside Spark). */
    public Device device() {
        return device.resolve(null);
    }

    public int batch() {
        return batch;
    }
}
