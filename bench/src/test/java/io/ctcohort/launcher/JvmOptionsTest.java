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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which command lines {@code bin/ctcohort} runs with C1-compiled code only, and which with the parallel
 * collector too ({@code bin/jvm-options}).
 */
class JvmOptionsTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String RE_RUN = C1_ONLY + " -XX:+UseParallelGC";
    /** The module's folder is the working directory of its tests: the script is one level up. */
    private static final Path SCRIPT = Paths.get("..", "bin", "jvm-options").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void anIncrementalRunIntoALocalRootWithAFinishedRunGetsC1OnlyAndTheParallelCollector() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("LATEST"), "20261207T000000000Z\n");
        assertEquals(RE_RUN, jit("measure", "--manifest", "m.csv", "--out", out.toString(), "--incremental"));
        assertEquals(RE_RUN, jit("segment", "--incremental", "--out=file://" + out));
        assertEquals(RE_RUN, jit("measure", "--incremental=True", "--out", out.toString()));
        assertEquals("", jit("measure", "--incremental=false", "--out", out.toString()));
        // A collector of the user's own: none from the script (the JVM refuses two).
        assertEquals(C1_ONLY, jit(Map.of("CTCOHORT_JAVA_OPTS", "-Xmx2g -XX:+UseZGC"), "measure", "--incremental",
                "--out", out.toString()));
        assertEquals(C1_ONLY, jit(Map.of("CTCOHORT_JAVA_OPTS", "-XX:+UseG1GC"), "measure", "--incremental",
                "--out", out.toString()));
        // Options that only mention GC name no collector.
        assertEquals(RE_RUN, jit(Map.of("CTCOHORT_JAVA_OPTS", "-XX:+UseStringDeduplication -XX:+PrintGCDetails"),
                "measure", "--incremental", "--out", out.toString()));
        // No previous run (a full run), not incremental, or an object store: the JVM's defaults.
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
        return jit(Map.of(), args);
    }

    private static String jit(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(SCRIPT), "bin/jvm-options not found at " + SCRIPT);
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().remove("CTCOHORT_JAVA_OPTS");
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return String.join(" ", out.lines().toList());
    }
}
