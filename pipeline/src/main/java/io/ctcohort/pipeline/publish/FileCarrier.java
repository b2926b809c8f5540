package io.ctcohort.pipeline.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Puts an existing, immutable table file of an earlier run into a new run without sending its bytes
 * through this process: a hard link on a local file system (the file outlives the pruning of either
 * run), a server-side CopyObject on S3A (an independent object; no download, no upload). Elsewhere
 * (HDFS has no hard links and no server-side copy) the file is copied through the client: correct,
 * but its bytes are written again ({@link #copiesBytes}).
 */
public final class FileCarrier {
    public enum Mode { HARD_LINK, SERVER_SIDE_COPY, CLIENT_COPY }

    /** By name: a deployment without hadoop-aws never loads S3 classes. */
    private static final String S3_FILE_SYSTEM = "org.apache.hadoop.fs.s3a.S3AFileSystem";

    /** Threads carrying files at once: links contend for one folder; requests to a store wait on latency. */
    private static final int LINK_THREADS = 4;
    private static final int REQUEST_THREADS = 16;

    private final FileSystem fs;
    private final Mode mode;

    public FileCarrier(FileSystem fs) {
        this.fs = fs;
        String scheme = fs.getUri().getScheme();
        if (fs instanceof RawLocalFileSystem || fs instanceof LocalFileSystem || "file".equals(scheme)) {
            mode = Mode.HARD_LINK;
        } else if (S3_FILE_SYSTEM.equals(fs.getClass().getName())) {
            mode = Mode.SERVER_SIDE_COPY;
        } else {
            mode = Mode.CLIENT_COPY;
        }
    }

    public Mode mode() {
        return mode;
    }

    /** True where carrying a file writes its bytes again. */
    public boolean copiesBytes() {
        return mode == Mode.CLIENT_COPY;
    }

    /**
     * Carries the files {@code names} of folder {@code from} into folder {@code to} under the same names,
     * several at once: an object store answers each request in milliseconds, and a hard link's cost is
     * mostly this process's own path handling (the folders are resolved once here, not per file).
     */
    public void carryAll(Path from, Path to, List<String> names) throws IOException {
        if (names.isEmpty()) {
            return;
        }
        if (mode == Mode.HARD_LINK) {
            java.nio.file.Path source = Paths.get(fs.makeQualified(from).toUri());
            java.nio.file.Path target = Paths.get(fs.makeQualified(to).toUri());
            inParallel(LINK_THREADS, names, n -> Files.createLink(target.resolve(n), source.resolve(n)));
        } else {
            inParallel(REQUEST_THREADS, names, n -> carry(new Path(from, n), new Path(to, n)));
        }
    }

    private interface FileTask {
        void run(String name) throws IOException;
    }

    /** The names split into {@code threads} runs, each carried by a thread of its own. */
    private static void inParallel(int threads, List<String> names, FileTask task) throws IOException {
        int parts = Math.min(threads, names.size());
        List<Callable<Void>> work = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            List<String> part = names.subList(p * names.size() / parts, (p + 1) * names.size() / parts);
            work.add(() -> {
                for (String n : part) {
                    task.run(n);
                }
                return null;
            });
        }
        Concurrently.all(work);
    }

    /** Makes {@code to} hold {@code from}'s bytes; {@code to} must not exist. */
    public void carry(Path from, Path to) throws IOException {
        switch (mode) {
            case HARD_LINK -> Files.createLink(Paths.get(fs.makeQualified(to).toUri()),
                    Paths.get(fs.makeQualified(from).toUri()));
            case SERVER_SIDE_COPY -> S3Copy.copy(fs, fs.makeQualified(from), fs.makeQualified(to));
            case CLIENT_COPY -> {
                if (!FileUtil.copy(fs, from, fs, to, false, fs.getConf())) {
                    throw new IOException("cannot copy " + from + " to " + to);
                }
            }
            default -> throw new IllegalStateException(mode.toString());
        }
    }
}
