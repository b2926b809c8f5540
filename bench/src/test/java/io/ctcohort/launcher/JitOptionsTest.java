package io.ctcohort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which command lines {@code bin/ctcohort} runs with C1-compiled code only ({@code bin/jit-options}). */
class JitOptionsTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    /** The module's folder is the working directory of its tests: the script is one level up. */
    private static final Path SCRIPT = Paths.get("..", "bin", "jit-options").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void anIncrementalRunIntoALocalRootWithAFinishedRunGetsC1Only() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("LATEST"), "20261207T000000000Z\n");
        assertEquals(C1_ONLY, jit("measure", "--manifest", "m.csv", "--out", out.toString(), "--incremental"));
        assertEquals(C1_ONLY, jit("segment", "--incremental", "--out=file://" + out));
        // No previous run (a full run), not incremental, or an object store: the full JIT.
        assertEquals("", jit("measure", "--incremental", "--out", tmp.resolve("new").toString()));
        assertEquals("", jit("measure", "--manifest", "m.csv", "--out", out.toString()));
        assertEquals("", jit("measure", "--incremental", "--out", "s3a://bucket/out"));
        assertEquals("", jit("catalog", "--incremental", "--out", out.toString()));
    }

    @Test
    void analyzeOfASmallLocalFolderGetsC1Only() throws Exception {
        Files.writeString(tmp.resolve("exams.parquet"), "x");
        assertEquals(C1_ONLY, jit("analyze", "--in", tmp.toString(), "--out", "report"));
        assertEquals("", jit("analyze", "--in", tmp.resolve("absent").toString()));
        assertEquals("", jit("analyze", "--in", "s3a://bucket/tables"));
    }

    /** What the script prints for a command line, lines joined by a space. */
    private static String jit(String... args) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(SCRIPT), "bin/jit-options not found at " + SCRIPT);
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return String.join(" ", out.lines().toList());
    }
}
