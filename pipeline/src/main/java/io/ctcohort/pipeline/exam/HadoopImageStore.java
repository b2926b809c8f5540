package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.input.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * Images on any Hadoop file system (file://, s3a://, hdfs://), streamed: no local copy. Folders are
 * listed recursively with {@link FileWalk}; a file found by {@link #find} is opened with its status,
 * which saves S3A a second HEAD request.
 */
public final class HadoopImageStore implements ImageStore {
    private final Configuration conf;

    public HadoopImageStore(Configuration conf) {
        this.conf = conf;
    }

    /** @param path the location as given (not qualified): messages name it so, as MessagePaths expects */
    private record HadoopEntry(FileSystem fs, Path path, FileStatus status) implements Entry {
        @Override
        public String location() {
            return path.toString();
        }

        @Override
        public boolean isFolder() {
            return status.isDirectory();
        }

        @Override
        public long length() {
            return status.isDirectory() ? 0 : status.getLen();
        }
    }

    /** {@link java.io.FileNotFoundException} (Hadoop's) where nothing lies at the location. */
    @Override
    public Entry find(String location) throws IOException {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(conf);
        return new HadoopEntry(fs, p, fs.getFileStatus(p));
    }

    @Override
    public List<String> list(Entry folder) throws IOException {
        HadoopEntry e = (HadoopEntry) folder;
        List<String> out = new ArrayList<>();
        try {
            new FileWalk(e.fs(), e.path()).forEachRemaining(f -> out.add(f.getPath().toString()));
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public InputStream open(String file) throws IOException {
        Path p = new Path(file);
        return p.getFileSystem(conf).open(p);
    }

    @Override
    public InputStream open(Entry file) throws IOException {
        HadoopEntry e = (HadoopEntry) file;
        return FutureIO.awaitFuture(e.fs().openFile(e.path()).withFileStatus(e.status()).build());
    }
}
