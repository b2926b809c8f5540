package io.ctcohort.engine.infer;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.model.ModelPart;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ONNX Runtime session per (model file, sha256, device) per JVM, created on first use and
 * shared by every thread: ONNX Runtime allows concurrent {@code Run} calls on one session (the
 * session holds the weights once; each call has its own activations, and with the CUDA provider its
 * own stream from the session's pool, so calls of several tasks overlap on one GPU). A session is
 * only created for a file whose hash {@link io.ctcohort.engine.model.ModelDirectory} has verified.
 * CUDA sessions take {@link CudaOptions}.
 */
final class Sessions {
    /** System property: ONNX Runtime intra-op threads (default: ONNX Runtime's own, all cores). */
    static final String THREADS_PROPERTY = "ctcohort.ort.threads";
    private static final Map<String, OrtSession> SESSIONS = new ConcurrentHashMap<>();

    private Sessions() {
    }

    static OrtSession get(ModelPart part, Device device) {
        String key = part.onnxFile().toAbsolutePath() + "#" + part.sha256() + "@" + device;
        return SESSIONS.computeIfAbsent(key, k -> create(part, device));
    }

    /** Fails with a clear message when the device's execution provider is not in this ONNX Runtime build. */
    static void checkProvider(Device device) {
        if (device.isCuda() && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new CtCohortException("device " + device + " needs ONNX Runtime's CUDA execution provider, "
                    + "which this build does not have (available: " + OrtEnvironment.getAvailableProviders()
                    + "); build with the Maven profile -Pgpu (com.microsoft.onnxruntime:onnxruntime_gpu) "
                    + "or use --device cpu");
        }
    }

    /** The thread property as a positive number, 0 when unset; anything else is a clear error. */
    static int intraOpThreads() {
        String threads = System.getProperty(THREADS_PROPERTY);
        if (threads == null || threads.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(threads.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CtCohortException("system property " + THREADS_PROPERTY + "='" + threads
                + "' is not a positive number of threads");
    }

    /** The provider options of {@link CudaOptions}; ONNX Runtime copies them into the session options. */
    private static OrtCUDAProviderOptions cudaOptions(Device device) throws OrtException {
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.index());
        for (Map.Entry<String, String> e : CudaOptions.forDevice(device.index()).entrySet()) {
            cuda.add(e.getKey(), e.getValue());
        }
        return cuda;
    }

    private static OrtSession create(ModelPart part, Device device) {
        checkProvider(device);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            int threads = intraOpThreads();
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            if (device.isCuda()) {
                try {
                    opts.addCUDA(cudaOptions(device));
                } catch (OrtException e) {
                    throw new CtCohortException("cannot use " + device + " for " + part.onnxFile()
                            + ": CUDA execution provider failed to load: " + e.getMessage(), e);
                }
            }
            return env.createSession(part.onnxFile().toString(), opts);
        } catch (OrtException e) {
            throw new CtCohortException(part.onnxFile() + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }
}
