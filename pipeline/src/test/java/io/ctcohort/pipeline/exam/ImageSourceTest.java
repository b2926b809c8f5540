package io.ctcohort.pipeline.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ctcohort.engine.InvalidImageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourceTest {
    @TempDir
    Path tmp;

    private final ImageSource source = new ImageSource(new HadoopConf(new Configuration()), 3);

    @Test
    void aConnectionResetIsRetriedAndTheSecondReadWins() throws Exception {
        Path f = Files.writeString(tmp.resolve("x.bin"), "payload");
        AtomicInteger calls = new AtomicInteger();
        String got = source.read(f.toUri().toString(), (in, uri) -> {
            byte[] b = in.readAllBytes();
            if (calls.incrementAndGet() == 1) {
                // What the NIfTI reader makes of a network error half-way through.
                throw new InvalidImageException(uri, "cannot be read", new SocketException("Connection reset"));
            }
            return new String(b);
        });
        assertEquals("payload", got);
        assertEquals(2, calls.get());
    }

    @Test
    void aCorruptFileIsNotRetried() throws Exception {
        assertEquals(1, attempts(InvalidImageException.class, (in, uri) -> {
            throw new InvalidImageException(uri, "not a NIfTI file");
        }));
    }

    @Test
    void aMissingFileFailsAtOnce() {
        assertThrows(FileNotFoundException.class,
                () -> source.read(tmp.resolve("none.nii").toUri().toString(), (in, uri) -> in.read()));
    }

    @Test
    void persistentErrorsGiveUpAfterTheAttempts() throws Exception {
        assertEquals(3, attempts(IOException.class, (in, uri) -> {
            throw new IOException("503 Slow Down");
        }));
    }

    /** Reads a file with {@code failing}, which always throws; how often read called it before giving up with {@code expected}. */
    private int attempts(Class<? extends Exception> expected, ImageSource.StreamReader<?> failing) throws IOException {
        Path f = Files.writeString(tmp.resolve("f.bin"), "junk");
        AtomicInteger calls = new AtomicInteger();
        assertThrows(expected, () -> source.read(f.toUri().toString(), (in, uri) -> {
            calls.incrementAndGet();
            return failing.read(in, uri);
        }));
        return calls.get();
    }
}
