package io.ctcohort.engine.model;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The committed test models (engine/src/main/python/make_test_models.py). */
public final class TestModels {
    private TestModels() {
    }

    public static Path dir(String name) {
        URL url = TestModels.class.getResource("/models/" + name + "/model.json");
        if (url == null) {
            throw new IllegalStateException("test model " + name + " missing from test resources");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
