package io.ctcohort.pipeline.privacy;

import io.ctcohort.core.CtCohortException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The secret behind {@link Pseudonyms}: a file holding 32 random bytes as 64 hex digits. Read where
 * it exists; created where it does not, readable by its owner alone: a local file is created
 * rw------- in one step (no moment in which others may read it); on HDFS or another Hadoop file
 * system it is created with permission 0600 (an object store such as S3 has no file modes: its
 * bucket policy decides who reads it). The key is never printed, logged or written anywhere else.
 */
public final class PseudonymKey {
    public static final int BYTES = 32;
    static final int MIN_BYTES = 16;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final short OWNER_ONLY_MODE = 0600;

    private PseudonymKey() {
    }

    /** The key at {@code uri} (a path, file://, hdfs://, s3a://), created first when absent. */
    public static byte[] loadOrCreate(String uri, Configuration conf, PrintStream log) {
        try {
            Path path = new Path(uri);
            String scheme = path.toUri().getScheme();
            if (scheme == null || scheme.equals("file")) {
                java.nio.file.Path local = scheme == null ? Paths.get(uri) : Paths.get(URI.create(uri));
                if (!Files.exists(local) && createLocal(local, log)) {
                    log.println("pseudonym key created (owner-only): " + uri + "; keep it secret and keep it: "
                            + "the same key gives the same pseudonyms");
                }
                return parse(uri, Files.readAllBytes(local));
            }
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path) && createHadoop(fs, path)) {
                log.println("pseudonym key created (mode 0600): " + uri + "; keep it secret and keep it: "
                        + "the same key gives the same pseudonyms");
            }
            try (InputStream in = fs.open(path)) {
                return parse(uri, in.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CtCohortException c) {
                throw c;
            }
            throw new CtCohortException("pseudonym key " + uri + ": cannot read or create it: " + e.getMessage(), e);
        }
    }

    /** Creates the file owner-only in one step; false when another process created it first. */
    static boolean createLocal(java.nio.file.Path file, PrintStream log) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews()
                .contains("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel ch = Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
            if (posix) {
                Files.setPosixFilePermissions(file, OWNER_ONLY); // the umask may have taken bits away, never added
            } else {
                log.println("warning: " + file + " is on a file system without POSIX modes: restrict who reads it");
            }
            ch.write(ByteBuffer.wrap(newKeyText()));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Creates the file with mode 0600 through Hadoop, never overwriting; false when it exists already. */
    static boolean createHadoop(FileSystem fs, Path path) throws IOException {
        FsPermission mode = new FsPermission(OWNER_ONLY_MODE);
        try (OutputStream out = fs.create(path, mode, false, 4096, fs.getDefaultReplication(path),
                fs.getDefaultBlockSize(path), null)) {
            try {
                fs.setPermission(path, mode); // create() applies the umask; make the mode exact
            } catch (UnsupportedOperationException | IOException ignored) {
                // object stores have no modes: the bucket's policy decides
            }
            out.write(newKeyText());
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private static byte[] newKeyText() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The key's bytes; the message never shows the file's content. */
    static byte[] parse(String uri, byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (text.length() < 2 * MIN_BYTES || text.length() % 2 != 0 || !text.matches("[0-9a-fA-F]+")) {
            throw new CtCohortException("pseudonym key " + uri + ": not a key (expected at least " + 2 * MIN_BYTES
                    + " hex digits, as ctcohort writes when the file is absent)");
        }
        return HexFormat.of().parseHex(text.toLowerCase(java.util.Locale.ROOT));
    }
}
