package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.dicom.SeriesFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A DICOM folder on any Hadoop file system, listed recursively ({@link FileWalk}).
 */
public record HadoopSeriesFiles(FileSystem fs, Path dir) implements SeriesFiles {
    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        try {
            new FileWalk(fs, dir).forEachRemaining(f -> out.add(f.getPath().toString()));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public InputStream open(String file) throws IOException {
        return fs.open(new Path(file));
    }
}
