package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a model handle's ONNX Runtime sessions run: intra-op threads and CUDA provider options
 * (on top of {@link CudaOptions}' defaults). Parsed once at the edge, a command's options
 * ({@code --ort-threads}, {@code --cuda-options}) or Spark conf, and passed typed to
 * {@link ModelHandles#open}; serializable, so it travels with a job's analyzer to the executors.
 *
 * <p>The system properties {@value #THREADS_PROPERTY} and {@value #CUDA_PROPERTY} still work: they are
 * what a setting left unset falls back to ({@link #orElse}, {@link #fromSystemProperties}), read
 * once per JVM where a handle is opened, e.g. on an executor started with
 * {@code spark.executor.extraJavaOptions -Dctcohort.ort.threads=4}.
 *
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 = unset (ONNX Runtime's own: all cores)
 * @param cudaOptions    CUDA provider options that change or add to the defaults, in order
 */
public record OrtSettings(int intraOpThreads, Map<String, String> cudaOptions) implements Serializable {
    /** System property: ONNX Runtime intra-op threads. */
    public static final String THREADS_PROPERTY = "ctcohort.ort.threads";
    /** System property: CUDA provider options, {@code key=value,...}. */
    public static final String CUDA_PROPERTY = "ctcohort.cuda.options";
    /** Nothing set: ONNX Runtime's threads and {@link CudaOptions}' defaults. */
    public static final OrtSettings UNSET = new OrtSettings(0, Map.of());
    /** A JVM's system properties are its edge: read once ({@link #fromSystemProperties}). */
    private static volatile OrtSettings fromProperties;

    public OrtSettings {
        if (intraOpThreads < 0) {
            throw new CtCohortException("ONNX Runtime threads must be a positive number, got " + intraOpThreads);
        }
        if (cudaOptions.containsKey("device_id")) {
            throw new CtCohortException("CUDA options cannot set device_id: the device comes from --device "
                    + "or Spark's GPU assignment");
        }
        cudaOptions = Collections.unmodifiableMap(new LinkedHashMap<>(cudaOptions));
    }

    /**
     * Parses the two settings as a user writes them; each source names where its value came from (an
     * option, a conf key, a property) in errors. Null or blank: unset.
     */
    public static OrtSettings parse(String threads, String threadsSource, String cudaOptions, String cudaSource) {
        return new OrtSettings(parseThreads(threads, threadsSource), parseCudaOptions(cudaOptions, cudaSource));
    }

    /**
     * The settings of this JVM's system properties, parsed on first use and kept (a bad value is a
     * clear error on every call, never a cached one).
     */
    public static OrtSettings fromSystemProperties() {
        OrtSettings s = fromProperties;
        if (s == null) {
            s = fromProperties = parse(System.getProperty(THREADS_PROPERTY), "system property " + THREADS_PROPERTY,
                    System.getProperty(CUDA_PROPERTY), "system property " + CUDA_PROPERTY);
        }
        return s;
    }

    /** These settings, each unset one taken from {@code fallback}; CUDA options: fallback's, then these. */
    public OrtSettings orElse(OrtSettings fallback) {
        Map<String, String> cuda = new LinkedHashMap<>(fallback.cudaOptions);
        cuda.putAll(cudaOptions);
        return new OrtSettings(intraOpThreads > 0 ? intraOpThreads : fallback.intraOpThreads, cuda);
    }

    /** The provider options of CUDA device {@code index}: {@link CudaOptions}' defaults, then these. */
    public Map<String, String> cudaProviderOptions(int index) {
        return CudaOptions.forDevice(index, cudaOptions);
    }

    static int parseThreads(String threads, String source) {
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
        throw new CtCohortException(source + "='" + threads + "' is not a positive number of threads");
    }

    static Map<String, String> parseCudaOptions(String options, String source) {
        Map<String, String> m = new LinkedHashMap<>();
        if (options == null || options.isBlank()) {
            return m;
        }
        for (String pair : options.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new CtCohortException(source + ": '" + pair.trim() + "' is not key=value (e.g. use_tf32=1)");
            }
            String key = pair.substring(0, eq).trim();
            if (key.equals("device_id")) {
                throw new CtCohortException(source + " cannot set device_id: the device comes from --device "
                        + "or Spark's GPU assignment");
            }
            m.put(key, pair.substring(eq + 1).trim());
        }
        return m;
    }
}
