package io.ctcohort.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CtCohortCliTest {
    @Test
    void badInputIsOneLineAndExitCodeTwoInEveryModule() {
        // pipeline (its own prefix), engine (the default "ctcohort COMMAND: "): one handler for both
        assertBadInput("error: --thickness-range takes MIN,MAX with MIN <= MAX\n",
                "catalog", "--in", "in", "--out", "out", "--thickness-range", "5,1");
        assertBadInput("ctcohort bench: --synthetic needs NXxNYxNZ and --spacing sx,sy,sz, got 40x30 / 1,1,1\n",
                "bench", "--synthetic", "40x30", "--spacing", "1,1,1");
    }

    private static void assertBadInput(String expected, String... args) {
        CommandLine cl = CtCohortCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute(args));
        assertEquals(expected, err.toString().replace(System.lineSeparator(), "\n"));
    }
}
