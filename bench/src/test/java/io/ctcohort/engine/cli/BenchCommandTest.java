package io.ctcohort.engine.cli;

import io.ctcohort.core.cli.BadInputHandler;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    /** A malformed --synthetic size is bad input (exit 2, a message), not a stack trace. */
    @Test
    void benchRefusesAMalformedSyntheticSize() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = BadInputHandler.commandLine(new BenchCommand());
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(BadInputHandler.EXIT_BAD_INPUT, cl.execute("--synthetic", "40xabcx20"));
        assertTrue(err.toString().contains("--synthetic 40xabcx20"), err.toString());
    }

    @Test
    void benchPrintsEveryStage() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(buf, true));
            // the bundled demo model (the default): the engine's test models are not folders in its test jar
            rc = BadInputHandler.commandLine(new BenchCommand()).execute("--synthetic", "40x30x20", "--spacing", "1,1.5,2");
        } finally {
            System.setOut(old);
        }
        String text = buf.toString();
        assertEquals(0, rc, text);
        for (String stage : new String[] {"read", "reorient", "resample", "normalize", "infer", "restore",
                "statistics", "peak heap"}) {
            assertTrue(text.contains(stage), "missing " + stage + " in\n" + text);
        }
    }
}
