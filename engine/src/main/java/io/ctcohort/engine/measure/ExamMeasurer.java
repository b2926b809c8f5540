package io.ctcohort.engine.measure;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.List;

/**
 * Measures one exam from its CT and label map: structure statistics, contrast phase and
 * biomarkers. The one "measure an exam" path: segment, measure, segment-one, bench and
 * evaluate-model all end here.
 */
public final class ExamMeasurer {
    private ExamMeasurer() {
    }

    /**
     * @param given the phase the manifest or the DICOM header gives, or null: resolved against the
     *              estimate from the segmentation
     */
    public static ExamMeasurement measure(CtVolume ct, LabelVolume labels, LabelMap names, PhaseCall given) {
        List<StructureStatistics> structures = StatisticsCalculator.compute(ct, labels, names);
        // biomarkers and the phase estimate land with issue 22 (engine.biomarkers)
        PhaseCall phase = given != null ? given
                : new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.ESTIMATED, "not estimated yet");
        return new ExamMeasurement(ct.geometry(), structures, phase, List.of());
    }
}
