package io.ctcohort.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.CtCohortException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file: created owner-only where absent (locally and through Hadoop), read back the same, refused when malformed. */
class PseudonymKeyTest {
    @TempDir
    Path tmp;

    @Test
    void anAbsentLocalKeyIsCreatedOwnerOnlyAndReadBackTheSame() throws Exception {
        Path file = tmp.resolve("keys/pseudonym.key");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        byte[] created = PseudonymKey.loadOrCreate(file.toString(), new Configuration(), ps);
        assertEquals(PseudonymKey.BYTES, created.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).strip().matches("[0-9a-f]{64}"));
        assertArrayEquals(created, PseudonymKey.loadOrCreate(file.toUri().toString(), new Configuration(), ps),
                "the same file, by path or file:// URI, is the same key");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("created"), text);
        assertFalse(text.contains(Files.readString(file).strip()), "the key never reaches the log");
        byte[] other = PseudonymKey.loadOrCreate(tmp.resolve("other.key").toString(), new Configuration(), ps);
        assertFalse(java.util.Arrays.equals(created, other), "a new key is random");
    }

    @Test
    void throughHadoopTheKeyIsCreatedWithMode0600AndNeverOverwritten() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(tmp.resolve("hdfs-like.key").toUri());
        assertTrue(PseudonymKey.createHadoop(fs, p));
        assertEquals("rw-------", fs.getFileStatus(p).getPermission().toString());
        String first = Files.readString(tmp.resolve("hdfs-like.key"));
        assertFalse(PseudonymKey.createHadoop(fs, p), "an existing key is never replaced");
        assertEquals(first, Files.readString(tmp.resolve("hdfs-like.key")));
    }

    @Test
    void aFileThatIsNotAKeyIsRefusedWithoutShowingIt() throws Exception {
        Path bad = tmp.resolve("bad.key");
        Files.writeString(bad, "PATIENT SECRET NOT A KEY");
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> PseudonymKey.loadOrCreate(bad.toString(), new Configuration(), System.err));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("hex digits"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }
}
