package io.ctcohort.engine.measure;

import io.ctcohort.engine.biomarkers.Biomarkers;
import io.ctcohort.engine.biomarkers.ContrastPhaseEstimator;
import io.ctcohort.engine.biomarkers.ExamVolume;
import io.ctcohort.engine.biomarkers.PhaseResolver;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.stats.LabelBoxes;
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
     * @param given the phase the manifest gives (source manifest), or the DICOM hint
     *              ({@link PhaseResolver#dicomHint}), or null: resolved against the estimate from
     *              the segmentation by {@link PhaseResolver}
     */
    public static ExamMeasurement measure(CtVolume ct, LabelVolume labels, LabelMap names, PhaseCall given) {
        LabelBoxes boxes = LabelBoxes.forLabels(labels); // filled by the statistics' pass: no second pass
        List<StructureStatistics> structures = StatisticsCalculator.compute(ct, labels, names, boxes);
        PhaseCall phase = PhaseResolver.resolve(given, ContrastPhaseEstimator.estimate(structures));
        List<BiomarkerValue> biomarkers = Biomarkers.measure(ExamVolume.of(ct, labels, names, boxes), structures,
                phase);
        return new ExamMeasurement(ct.geometry(), structures, phase, biomarkers);
    }
}
