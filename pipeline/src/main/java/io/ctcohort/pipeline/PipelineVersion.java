package io.ctcohort.pipeline;

/** The pipeline_version column: the jar's Implementation-Version when packaged, else the build's version. */
public final class PipelineVersion {
    private static final String FALLBACK = "0.1.0-SNAPSHOT";

    private PipelineVersion() {
    }

    public static String get() {
        String v = PipelineVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : FALLBACK;
    }
}
