package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.dicom.DicomSeriesReader;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.nifti.NiftiImage;
import io.ctcohort.engine.nifti.NiftiReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * Opens exam inputs by URI through Hadoop's FileSystem (file://, s3a://, hdfs://, ...), streaming:
 * no local copy. S3A retries throttling and transient network errors itself (fs.s3a.retry.*,
 * fs.s3a.attempts.maximum); on top of that a whole read that fails with an I/O error other than
 * "not found" or "access denied" is retried a few times with backoff, because a connection reset
 * half-way through a 200 MB exam is not the exam's fault.
 *
 * <p>A CT is a NIfTI file or a DICOM series folder ({@code DIR} or {@code DIR#SeriesInstanceUID}).
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

    /** Reads the CT at {@code uri}: a DICOM series when it names a folder, else a NIfTI file. */
    public CtVolume readCt(String uri) throws IOException {
        DicomSeriesReader.Location loc = DicomSeriesReader.Location.parse(uri);
        Path folder = new Path(loc.folder());
        FileSystem fs = folder.getFileSystem(conf.get());
        if (isDirectory(fs, folder)) {
            return withRetries(() -> DicomSeriesReader.read(new HadoopSeriesFiles(fs, folder), loc.seriesUid(),
                    NiftiReader.DEFAULT_MAX_VOXELS).ct());
        }
        return readNifti(uri).toCt();
    }

    /** Reads a NIfTI file, telling the reader its length so that a lying header cannot claim memory. */
    public NiftiImage readNifti(String uri) throws IOException {
        Path path = new Path(uri);
        return withRetries(() -> {
            FileSystem fs = path.getFileSystem(conf.get());
            FileStatus status = fs.getFileStatus(path);
            // the status saves S3A a second HEAD request
            try (InputStream in = FutureIO.awaitFuture(fs.openFile(path).withFileStatus(status).build())) {
                return NiftiReader.read(in, uri, NiftiReader.DEFAULT_MAX_VOXELS, status.getLen());
            }
        });
    }

    private static boolean isDirectory(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p).isDirectory();
        } catch (FileNotFoundException e) {
            return false; // the NIfTI path reports it, naming the file
        }
    }

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
