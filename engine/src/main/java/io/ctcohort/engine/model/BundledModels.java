package io.ctcohort.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.CtCohortException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Models shipped inside the engine jar. ONNX Runtime loads models from files, so a bundled model
 * is copied out of the jar into a temporary directory, once per JVM, and that directory is
 * returned (it goes through the same sha256 check as any other model directory).
 */
public final class BundledModels {
    static final String DEMO_RESOURCE = "/io/ctcohort/engine/models/demo/";
    private static Path demoDir;

    private BundledModels() {
    }

    /** The bundled demo model's directory. */
    public static synchronized Path demo() {
        if (demoDir == null) {
            demoDir = extract(DEMO_RESOURCE, "ctcohort-demo-model-");
        }
        return demoDir;
    }

    static Path extract(String resourceDir, String tempPrefix) {
        String cardResource = resourceDir + ModelDirectory.CARD_FILE;
        try (InputStream card = BundledModels.class.getResourceAsStream(cardResource)) {
            if (card == null) {
                throw new CtCohortException("bundled model absent: resource " + cardResource
                        + " is not on the class path (build the engine with its demo model, or pass --model DIR)");
            }
            ModelCard c = new ObjectMapper().readValue(card, ModelCard.class);
            Set<String> files = new LinkedHashSet<>();
            files.add(ModelDirectory.CARD_FILE);
            if (c.isMultiPart()) {
                c.parts().forEach(p -> files.add(p.onnxFileOrDefault()));
            } else {
                files.add(c.onnxFileOrDefault());
            }
            Path dir = Files.createTempDirectory(tempPrefix);
            dir.toFile().deleteOnExit();
            for (String f : files) {
                try (InputStream in = BundledModels.class.getResourceAsStream(resourceDir + f)) {
                    if (in == null) {
                        throw new CtCohortException("bundled model incomplete: resource " + resourceDir + f
                                + " named by " + cardResource + " is missing");
                    }
                    Path target = dir.resolve(f);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract bundled model " + resourceDir, e);
        }
    }
}
