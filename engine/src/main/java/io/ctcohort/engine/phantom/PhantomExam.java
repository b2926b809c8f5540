package io.ctcohort.engine.phantom;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import java.util.List;

/**
 * One generated exam: identity, demographics, the CT and its true label map (both null when only
 * the truth was generated), per-structure truth, and how it was acquired.
 *
 * @param cutTop    the field of view ends inside the liver (cranial cut)
 * @param cutBottom the field of view ends inside the hips (caudal cut)
 */
public record PhantomExam(String examId, String patientId, Demographics demographics, CtVolume ct,
                          LabelVolume labels, List<StructureTruth> truth, String orientation,
                          boolean cutTop, boolean cutBottom) {

    public StructureTruth truth(String structure) {
        return truth.stream().filter(t -> t.structure().equals(structure)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no structure " + structure));
    }
}
