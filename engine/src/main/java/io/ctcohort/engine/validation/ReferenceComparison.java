package io.ctcohort.engine.validation;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.GridMatch;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds the model's label map of a CT against a reference label map of the same CT (a manual
 * segmentation, or a better model's): per structure of the model's vocabulary, the Dice of the two
 * masks and both sides' statistics, each from {@link StatisticsCalculator} on the same CT. The
 * reference must lie on the CT's grid and use the model's labels; otherwise the result is a failed
 * validation with a {@link ValidationProblem} code, not an exception.
 */
public final class ReferenceComparison {
    private ReferenceComparison() {
    }

    /** As {@link #compare(CtVolume, LabelVolume, LabelMap, List, LabelVolume, LabelMap, String)}, measuring the model's side too. */
    public static ExamValidation compare(CtVolume ct, LabelVolume model, LabelMap vocabulary, LabelVolume reference,
                                         LabelMap referenceVocabulary, String referenceName) {
        return compare(ct, model, vocabulary, StatisticsCalculator.compute(ct, model, vocabulary), reference,
                referenceVocabulary, referenceName);
    }

    /**
     * @param modelStatistics      the model's statistics of {@code vocabulary} on {@code ct} (the exam's
     *                             measurements, not computed twice)
     * @param referenceVocabulary  the vocabulary the reference declares, or null when it declares none
     *                             (its labels are then read as the model's)
     * @param referenceName        names the reference in a failure's message (its URI)
     */
    public static ExamValidation compare(CtVolume ct, LabelVolume model, LabelMap vocabulary,
                                         List<StructureStatistics> modelStatistics, LabelVolume reference,
                                         LabelMap referenceVocabulary, String referenceName) {
        try {
            return ExamValidation.ok(agreements(ct, model, vocabulary, modelStatistics, reference,
                    referenceVocabulary, referenceName));
        } catch (ReferenceMismatchException e) {
            return ExamValidation.failed(e);
        }
    }

    private static List<StructureAgreement> agreements(CtVolume ct, LabelVolume model, LabelMap vocabulary,
                                                       List<StructureStatistics> modelStatistics,
                                                       LabelVolume reference, LabelMap referenceVocabulary,
                                                       String referenceName) {
        String differs = GridMatch.difference(ct.geometry(), reference.geometry());
        if (differs != null) {
            throw new ReferenceMismatchException(referenceName, ValidationProblem.REFERENCE_GRID_MISMATCH,
                    "reference label map does not lie on the grid of the CT: " + differs);
        }
        if (referenceVocabulary != null && !referenceVocabulary.asMap().equals(vocabulary.asMap())) {
            throw new ReferenceMismatchException(referenceName, ValidationProblem.REFERENCE_VOCABULARY_MISMATCH,
                    "reference declares " + referenceVocabulary + ", the model " + vocabulary + "; first difference: "
                            + firstDifference(vocabulary.asMap(), referenceVocabulary.asMap()));
        }
        String modelDiffers = GridMatch.difference(ct.geometry(), model.geometry());
        if (modelDiffers != null) { // the exam's own segmentation: measured on this grid, so a caller's bug
            throw new IllegalArgumentException("the model's label map does not lie on the CT's grid: " + modelDiffers);
        }
        OverlapCounts counts = OverlapCounts.count(model, reference);
        List<Integer> unknown = counts.referenceLabelsOutside(vocabulary.asMap().keySet());
        if (!unknown.isEmpty()) {
            throw new ReferenceMismatchException(referenceName, ValidationProblem.REFERENCE_UNKNOWN_LABELS,
                    "reference holds label(s) " + head(unknown) + " that the model's vocabulary (" + vocabulary
                            + ") does not name");
        }
        List<StructureStatistics> referenceStatistics = StatisticsCalculator.compute(ct, reference, vocabulary);
        List<StructureAgreement> out = new ArrayList<>(vocabulary.size());
        for (int i = 0; i < referenceStatistics.size(); i++) {
            StructureStatistics m = modelStatistics.get(i);
            StructureStatistics r = referenceStatistics.get(i);
            if (m.label() != r.label()) {
                throw new IllegalArgumentException("model statistics are not of the vocabulary " + vocabulary);
            }
            out.add(new StructureAgreement(r.structure(), r.label(), m, r, counts.overlap(r.label())));
        }
        return out;
    }

    private static String firstDifference(Map<Integer, String> model, Map<Integer, String> reference) {
        TreeMap<Integer, String> all = new TreeMap<>(model);
        reference.forEach(all::putIfAbsent);
        for (int label : all.keySet()) {
            String a = model.get(label);
            String b = reference.get(label);
            if (a == null ? b != null : !a.equals(b)) {
                return "label " + label + " is " + (b == null ? "absent" : "'" + b + "'") + " in the reference, "
                        + (a == null ? "absent" : "'" + a + "'") + " in the model";
            }
        }
        return "none";
    }

    private static String head(List<Integer> labels) {
        return labels.size() <= 10 ? labels.toString()
                : labels.subList(0, 10) + " and " + (labels.size() - 10) + " more";
    }
}
