package io.ctcohort.engine;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the real reference data (../shared/reference); tests skip when it is absent. */
public final class TestData {
    private TestData() {
    }

    public static Path reference() {
        Path p = Paths.get(System.getProperty("ctcohort.reference", "../../shared/reference"));
        Assumptions.assumeTrue(Files.isDirectory(p), "reference data absent: " + p.toAbsolutePath());
        return p;
    }

    /** A file of reference/totalsegmentator/, skipping the test when absent. */
    public static Path totalSegmentator(String file) {
        Path p = reference().resolve("totalsegmentator").resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(p), "reference data absent: " + p.toAbsolutePath());
        return p;
    }
}
