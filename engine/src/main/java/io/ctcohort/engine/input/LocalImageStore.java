package io.ctcohort.engine.input;

import io.ctcohort.engine.dicom.LocalSeriesFiles;
import io.ctcohort.engine.InvalidImageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Images on the local file system; locations are paths or {@code file:} URIs. */
public final class LocalImageStore implements ImageStore {
    public static final LocalImageStore INSTANCE = new LocalImageStore();

    private LocalImageStore() {
    }

    private record LocalEntry(String location, Path path, boolean isFolder, long length) implements Entry {
    }

    @Override
    public Entry find(String location) throws IOException {
        if (ImageRef.parse(location).scheme() != ImageRef.Scheme.FILE) {
            throw new InvalidImageException(location, "the engine's own commands read local files; S3 and HDFS "
                    + "are read by the pipeline (ctcohort segment, measure)");
        }
        Path p = ImageRef.localPath(location);
        if (Files.isDirectory(p)) {
            return new LocalEntry(location, p, true, 0);
        }
        if (!Files.exists(p)) {
            // as NiftiReader reads a local file: the stable code, not an I/O error
            throw new InvalidImageException(location, "file not found", null, "FILE_NOT_FOUND");
        }
        return new LocalEntry(location, p, false, Files.size(p));
    }

    @Override
    public List<String> list(Entry folder) throws IOException {
        return new LocalSeriesFiles(((LocalEntry) folder).path()).list();
    }

    @Override
    public InputStream open(String file) throws IOException {
        return Files.newInputStream(ImageRef.localPath(file));
    }

    @Override
    public InputStream open(Entry file) throws IOException {
        return Files.newInputStream(((LocalEntry) file).path());
    }
}
