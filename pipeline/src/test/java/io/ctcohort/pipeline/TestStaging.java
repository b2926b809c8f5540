package io.ctcohort.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a running job has staged under a local output root (tests watch it to strike midway). */
public final class TestStaging {
    private TestStaging() {
    }

    /** Staged ok results: OUT/staging/RUN/*.json, not failed ones, not temporary files. */
    public static long okResults(Path out) throws IOException {
        Path staging = out.resolve("staging");
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(staging)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().endsWith(".failed.json")
                    && !p.getFileName().toString().startsWith("_")).count();
        }
    }
}
