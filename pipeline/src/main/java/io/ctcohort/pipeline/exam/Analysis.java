package io.ctcohort.pipeline.exam;

import java.util.List;
import java.util.Map;

/** What an {@link ExamAnalyzer} found in one exam. */
public record Analysis(int[] dims, double[] spacing, Map<String, Long> stageMillis, String device,
                       List<Measurement> measurements) {
}
