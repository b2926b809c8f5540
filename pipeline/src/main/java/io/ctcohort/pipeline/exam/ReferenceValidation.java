package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.nifti.NiftiProblem;
import io.ctcohort.engine.validation.ExamValidation;
import io.ctcohort.engine.validation.ReferenceComparison;
import io.ctcohort.pipeline.privacy.MessagePaths;

/**
 * The validation of an exam that has a reference label map ({@code reference_mask_uri}), for segment
 * and measure alike: the reference read as measure reads a mask, held against the model's label map
 * by {@link ReferenceComparison} with the exam's own statistics. Whatever goes wrong with the
 * reference (unreadable, missing, another grid or label set) fails the validation only, never the exam.
 */
final class ReferenceValidation {
    private ReferenceValidation() {
    }

    /** Null for an exam without a reference (no validation rows). */
    static ExamValidation of(ExamTask task, ImageSource images, CtVolume ct, LabelVolume model, LabelMap vocabulary,
                             ExamMeasurement measurement) {
        if (task.referenceUri() == null) {
            return null;
        }
        ExamValidation v;
        try {
            LabelVolume reference = images.readNifti(task.referenceUri()).toLabels();
            v = ReferenceComparison.compare(ct, model, vocabulary, measurement.structures(), reference, null,
                    task.referenceUri().toString());
        } catch (java.io.FileNotFoundException e) {
            // The reader's stable code (NiftiProblem), as a local NIfTI read gives it: failures group by code.
            v = ExamValidation.failed(new InvalidImageException(task.referenceUri().toString(), "reference label map not found",
                    e, NiftiProblem.FILE_NOT_FOUND.name()));
        } catch (Exception e) {
            v = ExamValidation.failed(e);
        }
        if (v.ok()) {
            return v;
        }
        // Shared tables hold no paths: the message names the files by their tokens.
        return new ExamValidation(v.structures(), v.errorClass(),
                MessagePaths.relative(v.errorMessage(), ImageRef.text(task.imageUri()),
                        ImageRef.text(task.maskUri()), ImageRef.text(task.referenceUri())));
    }
}
