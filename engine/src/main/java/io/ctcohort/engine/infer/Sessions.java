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
 * A model handle's ONNX Runtime sessions: one per (model part, device), created on first use with
 * the handle's {@link OrtSettings} and shared by every thread. ONNX Runtime allows concurrent
 * {@code Run} calls on one session (the session holds the weights once; each call has its own
 * activations, and with the CUDA provider its own stream from the session's pool, so calls of
 * several tasks overlap on one GPU). A session is only created for a file whose hash
 * {@link io.ctcohort.engine.model.ModelDirectory} has verified. Owned and closed by its
 * {@link ModelHandle}.
 */
final class Sessions implements AutoCloseable {
    private final OrtSettings settings;
    private final Map<String, OrtSession> sessions = new ConcurrentHashMap<>();

    Sessions(OrtSettings settings) {
        this.settings = settings;
    }

    OrtSession get(ModelPart part, Device device) {
        String key = part.onnxFile().toAbsolutePath() + "#" + part.sha256() + "@" + device;
        return sessions.computeIfAbsent(key, k -> create(part, device));
    }

    /** Sessions created so far. */
    int size() {
        return sessions.size();
    }

    /** Closes every session (the caller, the handle, makes sure no call is running). */
    @Override
    public void close() {
        CtCohortException failed = null;
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                failed = new CtCohortException("cannot close an ONNX Runtime session: " + e.getMessage(), e);
            }
        }
        sessions.clear();
        if (failed != null) {
            throw failed;
        }
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

    /** The provider options of the settings; ONNX Runtime copies them into the session options. */
    private OrtCUDAProviderOptions cudaOptions(Device device) throws OrtException {
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.index());
        for (Map.Entry<String, String> e : settings.cudaProviderOptions(device.index()).entrySet()) {
            cuda.add(e.getKey(), e.getValue());
        }
        return cuda;
    }

    private OrtSession create(ModelPart part, Device device) {
        checkProvider(device);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (settings.intraOpThreads() > 0) {
                opts.setIntraOpNumThreads(settings.intraOpThreads());
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
