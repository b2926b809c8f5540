package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.nifti.NiftiImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.Path;

/**
 * Opens exam inputs by URI through Hadoop's FileSystem (file://, s3a://, hdfs://, ...), streaming:
 * no local copy. S3A retries throttling and transient network errors itself (fs.s3a.retry.*,
 * fs.s3a.attempts.maximum); on top of that a whole read that fails with an I/O error other than
 * "not found" or "access denied" is retried a few times with backoff, because a connection reset
 * half-way through a 200 MB exam is not the exam's fault.
 *
 * <p>How a CT is read is {@link CtReader}'s, over a {@link HadoopImageStore}; this class adds the retries.
 */
public final class ImageSource implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads a stream completely into a result; may be called again on a transient failure. */
    @FunctionalInterface
    public interface StreamReader<T> {
        T read(InputStream in, String uri) throws IOException;
    }

    private final HadoopConf conf;
    private final int attempts;

    public ImageSource(HadoopConf conf, int attempts) {
        this.conf = conf;
        this.attempts = Math.max(1, attempts);
    }

    /** Reads the CT a reference names: a DICOM series when it names a folder, else a NIfTI file ({@link CtReader}). */
    public CtVolume readCt(ImageRef ref) throws IOException {
        return withRetries(() -> reader().readCt(ref));
    }

    /** Reads a NIfTI file (a label map), telling the reader its length so that a lying header cannot claim memory. */
    public NiftiImage readNifti(ImageRef ref) throws IOException {
        return withRetries(() -> reader().readNifti(ref));
    }

    private CtReader reader() {
        return new CtReader(new HadoopImageStore(conf.get()));
    }

    /** Reads the file at {@code uri} with {@code reader}, retried as the image reads are. */
    public <T> T read(String uri, StreamReader<T> reader) throws IOException {
        Path path = new Path(uri);
        return withRetries(() -> {
            try (InputStream in = path.getFileSystem(conf.get()).open(path)) {
                return reader.read(in, uri);
            }
        });
    }

    private interface Attempt<T> {
        T run() throws IOException;
    }

    private <T> T withRetries(Attempt<T> attempt) throws IOException {
        Exception last = null;
        for (int i = 1; i <= attempts; i++) {
            try {
                return attempt.run();
            } catch (FileNotFoundException | AccessDeniedException e) {
                throw e;
            } catch (IOException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                last = e;
            } catch (RuntimeException e) {
                // The image readers report any I/O error as an invalid image; a transient cause is retried.
                if (!(e.getCause() instanceof IOException io) || !isTransient(io)
                        || io instanceof FileNotFoundException) {
                    throw e;
                }
                last = e;
            }
            if (i < attempts) {
                sleep(200L << i);
            }
        }
        if (last instanceof IOException io) {
            throw io;
        }
        throw (RuntimeException) last;
    }

    /** Plain EOF means a truncated file, not a flaky network. */
    private static boolean isTransient(IOException e) {
        return !(e instanceof java.io.EOFException) && !(e instanceof java.util.zip.ZipException);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
