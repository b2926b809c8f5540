package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.validation.ExamValidation;
import java.util.Map;

/**
 * What an {@link ExamAnalyzer} found in one exam: the engine's measurement as it is, with the
 * per-stage wall times, the device it ran on and, for an exam with a reference label map, its
 * validation (null otherwise).
 */
public record Analysis(ExamMeasurement measurement, Map<String, Long> stageMillis, String device,
                       ExamValidation validation) {
    /** An exam without a reference. */
    public Analysis(ExamMeasurement measurement, Map<String, Long> stageMillis, String device) {
        this(measurement, stageMillis, device, null);
    }
}
