package io.ctcohort.engine.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A DICOM folder on the local file system. */
public record LocalSeriesFiles(Path dir) implements SeriesFiles {
    /** Deep enough for PACS exports (patient/study/series/files) under any folder given. */
    private static final int MAX_DEPTH = 8;

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.walk(dir, MAX_DEPTH)) {
            return files.filter(Files::isRegularFile).map(Path::toString).sorted().collect(Collectors.toList());
        }
    }

    @Override
    public InputStream open(String file) throws IOException {
        return Files.newInputStream(Path.of(file));
    }
}
