package io.ctcohort.analytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.calibration.CalibrationModel;
import io.ctcohort.analytics.calibration.CalibrationOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration flags are parsed once at the edge; a bad value is refused (exit 2) naming the flag. */
class CalibrationFlagsTest {

    @Test
    void modelNamesAreParsedAndUnknownOnesRefused(@TempDir Path tmp) {
        assertEquals(CalibrationModel.CONDITIONAL, CalibrationModel.of("conditional"));
        assertEquals(CalibrationModel.REFERENCE_ONLY, CalibrationModel.of(" Reference-Only "));
        assertThrows(IllegalArgumentException.class, () -> CalibrationModel.of("beta-over-b"));
        assertEquals(CalibrationModel.CONDITIONAL, CalibrationOptions.defaults().model());
        assertEquals(null, CalibrationOptions.defaults().bootstrap(), "delta method by default");
        assertThrows(IllegalArgumentException.class, () -> new CalibrationOptions.Bootstrap(10, 1));

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int rc;
        try {
            // refused before the input is read: the folder does not exist
            rc = new picocli.CommandLine(new AnalyzeCommand()).execute("--in", tmp.resolve("none").toString(),
                    "--calibration-model", "beta-over-b");
        } finally {
            System.setErr(err);
        }
        assertEquals(AnalyzeCommand.EXIT_BAD_INPUT, rc);
        String message = captured.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--calibration-model") && message.contains("beta-over-b"), message);
        assertEquals(2, new picocli.CommandLine(new AnalyzeCommand()).execute("--in", tmp.toString(),
                "--calibration-interval", "jackknife"), "picocli refuses an unknown interval");
    }
}
