package io.ctcohort.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.model.ModelDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EvaluateModelCommandTest {

    @Test
    void aTrainingSeedIsRefusedWithAMessageAndExitCode2() {
        long trainingSeed = ModelDirectory.load(BundledModels.demo()).card().training().get("cohort_seeds").get(0).asLong();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = BadInputHandler.commandLine(new EvaluateModelCommand())
                    .execute("--exams", "1", "--seed", Long.toString(trainingSeed));
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code);
        String message = captured.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("seed " + trainingSeed + " was used to train"), message);
    }
}
