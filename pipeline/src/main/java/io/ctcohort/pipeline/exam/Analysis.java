package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Stage;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.ExamMeasurer;
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

    /**
     * Measures an exam's CT and label map (the one path, {@link ExamMeasurer}) and, where the task
     * has a reference, validates the labels against it; the time goes to {@code stageMillis} as
     * the stats stage.
     */
    public static Analysis measure(ExamTask task, ImageSource images, CtVolume ct, LabelVolume labels,
                                   LabelMap vocabulary, Map<String, Long> stageMillis, String device) {
        long t = System.nanoTime();
        ExamMeasurement m = ExamMeasurer.measure(ct, labels, vocabulary, task.givenPhase());
        ExamValidation validation = ReferenceValidation.of(task, images, ct, labels, vocabulary, m);
        stageMillis.put(Stage.STATS.label(), (System.nanoTime() - t) / 1_000_000);
        return new Analysis(m, stageMillis, device, validation);
    }
}
