package io.ctcohort.pipeline;

import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.pipeline.exam.ModelSource;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The model the pipeline tests segment with: the bundled demo model, or, in a build without it, the
 * engine's 118-class pointwise test model (real ONNX, TotalSegmentator's label names; segmentation
 * quality is not what these tests are about).
 */
public final class TestModels {
    private TestModels() {
    }

    public static Path dir() {
        if (BundledModels.class.getResource("/io/ctcohort/engine/models/demo/model.json") != null) {
            return BundledModels.demo();
        }
        for (String p : new String[] {"../engine/src/test/resources/models/pointwise118_3mm",
            "engine/src/test/resources/models/pointwise118_3mm"}) {
            if (Files.isDirectory(Paths.get(p))) {
                return Paths.get(p).toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("neither the bundled demo model nor the engine's test model is present");
    }

    /** The analyzer executors use for {@link #dir()} (a local path, as in local mode). */
    public static SegmentAnalyzer analyzer() {
        return SegmentAnalyzer.of(ModelSource.directory(dir()));
    }
}
