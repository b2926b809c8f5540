package io.ctcohort.pipeline.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.CtCohortException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's ONNX Runtime threads per session come from {@code --conf spark.ctcohort.ort.threads}
 * (default 1): read before anything runs, so a bad value fails at once, naming the key, before a
 * minute goes into the cohort.
 */
class DemoOrtThreadsTest {
    @TempDir
    Path tmp;

    @Test
    void aBadThreadCountFailsBeforeTheCohortNamingTheKey() {
        Path out = tmp.resolve("demo");
        Demo.Options o = new Demo.Options(4, out, 7, "local[2]", DemoTest.model(), 1,
                Map.of(Demo.ORT_THREADS_CONF, "two"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        CtCohortException e;
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            e = assertThrows(CtCohortException.class, () -> new Demo(o, ps).run());
        }
        assertTrue(e.getMessage().contains("spark.ctcohort.ort.threads='two'"), e.getMessage());
        assertFalse(Files.exists(out.resolve("cohort")), "no cohort was generated");
    }
}
