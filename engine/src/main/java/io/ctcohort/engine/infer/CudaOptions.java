package io.ctcohort.engine.infer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime CUDA provider options for a segmentation session, resolved once per session. Why
 * each default (the network runs thousands of tiles of one fixed shape, and several tasks may share
 * one GPU and one session):
 * <ul>
 * <li>{@code cudnn_conv_algo_search=EXHAUSTIVE}: cuDNN times every convolution algorithm once per
 *     shape (seconds, on the session's first tile) and keeps the fastest; with one tile shape for the
 *     whole run that search pays for itself on the first exam.</li>
 * <li>{@code cudnn_conv_use_max_workspace=1}: lets cuDNN pick algorithms that need a large
 *     workspace, the fastest ones for 3-D convolutions on big tiles.</li>
 * <li>{@code arena_extend_strategy=kSameAsRequested}: the arena grows by what a run asks for, not to
 *     the next power of two, so N concurrent runs (N tasks per GPU) hold about N tiles' activations
 *     rather than up to twice that.</li>
 * <li>{@code use_tf32=0}: TF32 convolutions round inputs to 10 mantissa bits; labels would then differ
 *     from the CPU's wherever two classes are close. float32 keeps CUDA's labels those of the CPU.</li>
 * <li>{@code do_copy_in_default_stream=1}: input and output copies are ordered with the compute on
 *     the default stream (ONNX Runtime's safe default, kept explicitly).</li>
 * </ul>
 * Operators change or add any option with {@link OrtSettings} ({@code --cuda-options}, Spark conf
 * {@code spark.ctcohort.cuda.options}, or the system property {@code ctcohort.cuda.options}), e.g.
 * {@code use_tf32=1,gpu_mem_limit=68719476736}.
 */
public final class CudaOptions {
    private static final Map<String, String> DEFAULTS = defaults();

    private CudaOptions() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cudnn_conv_algo_search", "EXHAUSTIVE");
        m.put("cudnn_conv_use_max_workspace", "1");
        m.put("arena_extend_strategy", "kSameAsRequested");
        m.put("use_tf32", "0");
        m.put("do_copy_in_default_stream", "1");
        return m;
    }

    /** The options for CUDA device {@code index}: the defaults above, then {@code overrides} (already parsed). */
    static Map<String, String> forDevice(int index, Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device_id", Integer.toString(index));
        m.putAll(DEFAULTS);
        m.putAll(overrides);
        return m;
    }
}
