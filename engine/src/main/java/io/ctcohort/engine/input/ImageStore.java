package io.ctcohort.engine.input;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The file listing {@link CtReader} reads through: the local file system ({@link LocalImageStore})
 * or, in the pipeline, any Hadoop file system (S3A, HDFS). Locations are the strings of an
 * {@link ImageRef} and of the store's own listings.
 */
public interface ImageStore {
    /** What lies at a location: a folder, or a file of some length. */
    interface Entry {
        String location();

        boolean isFolder();

        /** Bytes of a file (0 for a folder). */
        long length();
    }

    /**
     * The file or folder at {@code location}. Where there is none: {@link FileNotFoundException}, which the
     * pipeline reports as such, or (the local store) an {@code InvalidImageException} coded FILE_NOT_FOUND.
     */
    Entry find(String location) throws IOException;

    /** Every regular file under {@code folder} (nested folders included), in a stable order. */
    List<String> list(Entry folder) throws IOException;

    InputStream open(String file) throws IOException;

    /** Opens a file found by {@link #find}; a store may save a metadata call with what it found. */
    default InputStream open(Entry file) throws IOException {
        return open(file.location());
    }
}
