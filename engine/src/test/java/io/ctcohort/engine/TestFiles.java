package io.ctcohort.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** File helpers for tests that change a copy of a fixture folder. */
public final class TestFiles {
    private TestFiles() {
    }

    /** Copies the files of folder {@code from} (not its subfolders' contents) into {@code to}; returns {@code to}. */
    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
