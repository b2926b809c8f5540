package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * Every biomarker of one exam, for the structures its vocabulary names: a site the model cannot
 * segment gives no row; a site it can segment but did not (or that the field of view cuts) gives a
 * null with a reason. The definitions live in the classes named below and in docs/DESIGN.md
 * "Biomarkers and contrast phase".
 */
public final class Biomarkers {
    private Biomarkers() {
    }

    /**
     * @param structures the exam's structure statistics (the aorta's median HU guards calcium scoring)
     * @param phase      the exam's resolved contrast phase
     */
    public static List<BiomarkerValue> measure(ExamVolume v, List<StructureStatistics> structures, PhaseCall phase) {
        List<BiomarkerValue> out = new ArrayList<>();
        for (String vertebra : TrabecularHu.VERTEBRAE) {
            if (v.inVocabulary(vertebra)) {
                out.add(TrabecularHu.measure(v, vertebra));
            }
        }
        BiomarkerValue liver = v.inVocabulary("liver") ? OrganHu.measure(v, "liver") : null;
        BiomarkerValue spleen = v.inVocabulary("spleen") ? OrganHu.measure(v, "spleen") : null;
        if (liver != null) {
            out.add(liver);
        }
        if (spleen != null) {
            out.add(spleen);
        }
        if (liver != null && spleen != null) {
            out.add(OrganHu.difference(liver, spleen));
        }
        if (v.inVocabulary(AorticCalcium.SITE)) {
            double aortaMedian = structures.stream().filter(s -> s.structure().equals(AorticCalcium.SITE))
                    .mapToDouble(StructureStatistics::huMedian).findFirst().orElse(Double.NaN);
            out.addAll(AorticCalcium.measure(v, phase, aortaMedian));
        }
        if (v.inVocabulary(BodyComposition.SITE)) {
            out.addAll(BodyComposition.measure(v));
        }
        return out;
    }
}
