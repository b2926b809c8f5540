package io.ctcohort.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExamTaskFunctionTest {
    @Test
    void deviceWithoutAssignedGpu() {
        assertEquals("cpu", ExamTaskFunction.deviceFor("auto", null));
        assertEquals("cpu", ExamTaskFunction.deviceFor("cpu", null));
        assertEquals("cuda:0", ExamTaskFunction.deviceFor("cuda", null));
        assertEquals("cuda:3", ExamTaskFunction.deviceFor("cuda:3", null));
    }

    @Test
    void progressLineShowsRateAndEta() {
        assertEquals("segment: 30/120 exams, 10.0 exams/min, ETA 9m00s", ProgressReporter.line("segment", 30, 120, 3.0));
        assertEquals("segment: 0/5 exams, 0.0 exams/min, ETA --", ProgressReporter.line("segment", 0, 5, 0.5));
        assertTrue(ProgressReporter.line("segment", 10, 10000, 1.0).endsWith("ETA 16h39m"));
        assertTrue(ProgressReporter.line("measure", 5, 5, 1.0).endsWith("done"));
    }
}
