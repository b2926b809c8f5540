package io.ctcohort.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.cli.BadInputHandler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Secure by default: catalog without a key refuses (exit 2, before Spark starts) and says which options there are. */
class CatalogCommandIdentifiersTest {
    @TempDir
    Path tmp;

    private int run(StringWriter err, String... args) {
        CommandLine cl = BadInputHandler.install(new CommandLine(new CatalogCommand()));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void withoutAKeyCatalogRefusesToWriteOriginalIdentifiers() {
        StringWriter err = new StringWriter();
        int code = run(err, "--in", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, code);
        String said = err.toString();
        assertTrue(said.contains("--pseudonym-key FILE") && said.contains("--keep-identifiers"), said);
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void aLinkageNeedsAKeyAndDatesAreOneOfThree() {
        StringWriter err = new StringWriter();
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, run(err, "--in", tmp.toString(), "--out",
                tmp.resolve("out").toString(), "--keep-identifiers", "--linkage-out", tmp.resolve("l").toString()));
        assertTrue(err.toString().contains("--linkage-out needs --pseudonym-key"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, run(err2, "--in", tmp.toString(), "--out",
                tmp.resolve("out").toString(), "--keep-identifiers", "--dates", "month"));
        assertTrue(err2.toString().contains("--dates takes shift, year or keep"), err2.toString());
    }

    @Test
    void incrementalRefusesALinkageAndABadDepthBeforeSparkStarts() {
        StringWriter err = new StringWriter();
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, run(err, "--in", tmp.toString(), "--out",
                tmp.resolve("out").toString(), "--pseudonym-key", tmp.resolve("k").toString(), "--incremental",
                "--linkage-out", tmp.resolve("l").toString()));
        assertTrue(err.toString().contains("--linkage-out is not supported with --incremental"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, run(err2, "--in", tmp.toString(), "--out",
                tmp.resolve("out").toString(), "--keep-identifiers", "--incremental", "--folder-depth", "0"));
        assertTrue(err2.toString().contains("--folder-depth must be at least 1"), err2.toString());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }
}
