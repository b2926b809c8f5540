package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.model.ModelDirectory;
import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where an executor finds the model directory, decided once on the driver (the command line) and
 * shipped with the analyzer: the model never travels as a session, only as this small value.
 */
public sealed interface ModelSource extends Serializable {
    /** The demo model inside the application jar, extracted once per JVM. */
    record Bundled() implements ModelSource {
        @Override
        public Path resolve() {
            return BundledModels.demo();
        }
    }

    /** A directory at the same path on every node (local mode, or a shared file system). */
    record Directory(String path) implements ModelSource {
        @Override
        public Path resolve() {
            return Paths.get(path);
        }
    }

    /** The model's files were added with {@code SparkContext.addFile}: they lie in the SparkFiles folder. */
    record SparkFiles() implements ModelSource {
        @Override
        public Path resolve() {
            return Paths.get(org.apache.spark.SparkFiles.get(ModelDirectory.CARD_FILE)).getParent();
        }
    }

    ModelSource BUNDLED = new Bundled();

    /** The model directory on this JVM. */
    Path resolve();

    static ModelSource directory(Path dir) {
        return new Directory(dir.toAbsolutePath().normalize().toString());
    }
}
