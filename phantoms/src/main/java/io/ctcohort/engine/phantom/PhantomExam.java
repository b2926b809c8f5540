package io.ctcohort.engine.phantom;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.measure.ContrastPhase;
import java.util.List;

/**
 * One generated exam: identity, demographics, the CT and its true label map (both null when only
 * the truth was generated), per-structure truth, how it was acquired, its contrast phase and the
 * planted truth of its opportunistic biomarkers.
 *
 * @param cutTop    the field of view ends inside the liver (cranial cut)
 * @param cutBottom the field of view ends inside the hips (caudal cut)
 * @param phase     the true contrast phase (native, arterial or portal venous); never in the manifest
 */
public record PhantomExam(String examId, String patientId, Demographics demographics, CtVolume ct,
                          LabelVolume labels, List<StructureTruth> truth, String orientation,
                          boolean cutTop, boolean cutBottom, ContrastPhase phase, List<BiomarkerTruth> biomarkers) {

    public StructureTruth truth(String structure) {
        return truth.stream().filter(t -> t.structure().equals(structure)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no structure " + structure));
    }

    /** The planted value of a biomarker at a site. */
    public BiomarkerTruth biomarker(String biomarker, String site) {
        return biomarkers.stream().filter(b -> b.biomarker().equals(biomarker) && b.site().equals(site)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no biomarker " + biomarker + " at " + site));
    }

    /** The same exam without its voxels (what the cohort writer keeps once they are on disk). */
    PhantomExam withoutVoxels() {
        return new PhantomExam(examId, patientId, demographics, null, null, truth, orientation, cutTop, cutBottom, phase,
                biomarkers);
    }
}
