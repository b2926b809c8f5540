package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.dicom.SeriesFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A DICOM folder on any Hadoop file system. Listing is recursive: on S3 that is one paged LIST
 * of the prefix, not a walk of pseudo-directories.
 */
public record HadoopSeriesFiles(FileSystem fs, Path dir) implements SeriesFiles {
    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            out.add(it.next().getPath().toString());
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public InputStream open(String file) throws IOException {
        return fs.open(new Path(file));
    }
}
