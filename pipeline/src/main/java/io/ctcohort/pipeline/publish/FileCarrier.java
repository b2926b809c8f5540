package io.ctcohort.pipeline.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
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
