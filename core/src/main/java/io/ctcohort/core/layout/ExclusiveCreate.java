package io.ctcohort.core.layout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;

/**
 * Creates a small file only if nothing is at its path, atomically: of two concurrent creators
 * exactly one wins, and a reader sees the whole content or nothing.
 * <ul>
 * <li>local disk: the content goes to a temporary file, then a hard link to the target (link(2)
 *     fails when the target exists; Hadoop's local create(overwrite=false) checks, then creates);</li>
 * <li>S3A: a PUT with {@code If-None-Match: *} (Hadoop 3.5's conditional create, which S3 and
 *     s3proxy answer with 412 when the object exists);</li>
 * <li>elsewhere (HDFS): create(overwrite=false), atomic at the NameNode.</li>
 * </ul>
 */
public final class ExclusiveCreate {
    /** Hadoop's create option for If-None-Match (Options.CreateFileOptionKeys, 3.4.2+). */
    static final String CONDITIONAL_OVERWRITE = "fs.option.create.conditional.overwrite";

    private ExclusiveCreate() {
    }

    /** True when this call created {@code target} with {@code data}; false when something was there. */
    public static boolean create(FileSystem fs, Path target, byte[] data) throws IOException {
        String scheme = fs.getUri().getScheme();
        if ("file".equals(scheme)) {
            return createLocal(java.nio.file.Path.of(fs.makeQualified(target).toUri()), data);
        }
        if (scheme != null && scheme.startsWith("s3")) {
            return S3.create(fs, target, data);
        }
        try (OutputStream out = fs.create(target, false)) {
            out.write(data);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private static boolean createLocal(java.nio.file.Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID());
        Files.write(tmp, data);
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The S3A create, in a class of its own: it names hadoop-aws classes, which core has only as
     * provided; loaded only for an s3 path, where S3A itself needs hadoop-aws anyway.
     */
    private static final class S3 {
        private S3() {
        }

        static boolean create(FileSystem fs, Path target, byte[] data) throws IOException {
            FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(target);
            builder.overwrite(false);
            builder.must(CONDITIONAL_OVERWRITE, true);
            try (OutputStream out = builder.build()) {
                out.write(data);
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException | RemoteFileChangedException e) {
                return false;
            } catch (PathIOException e) {
                if (String.valueOf(e.getMessage()).contains("412")) {
                    return false;
                }
                throw e;
            }
            return true;
        }
    }
}
