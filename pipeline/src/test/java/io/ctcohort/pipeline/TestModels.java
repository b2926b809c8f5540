package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctcohort.engine.model.BundledModels;
import java.nio.file.Path;

/** The bundled demo model, or a skipped test (with the reason) in a build that lacks it. */
public final class TestModels {
    private TestModels() {
    }

    public static Path demo() {
        boolean present = BundledModels.class.getResource("/io/ctcohort/engine/models/demo/model.json") != null;
        assumeTrue(present, "bundled demo model absent: engine/src/main/resources/io/ctcohort/engine/models/demo/");
        return BundledModels.demo();
    }
}
