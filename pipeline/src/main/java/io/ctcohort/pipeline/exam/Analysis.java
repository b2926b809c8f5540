package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.measure.ExamMeasurement;
import java.util.Map;

/**
 * What an {@link ExamAnalyzer} found in one exam: the engine's measurement as it is, with the
 * per-stage wall times and the device it ran on.
 */
public record Analysis(ExamMeasurement measurement, Map<String, Long> stageMillis, String device) {
}
