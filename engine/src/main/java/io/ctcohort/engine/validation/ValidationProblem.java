package io.ctcohort.engine.validation;

/**
 * Stable codes of a reference label map that cannot be held against the model's segmentation (as
 * {@code NiftiProblem} and {@code DicomException.Problem}): the exam's validation row has an
 * {@code error_class} ending in {@code :CODE}, and the exam itself is still measured.
 */
public enum ValidationProblem {
    /** The reference does not lie on the CT's grid ({@code GridMatch}'s tolerances). */
    REFERENCE_GRID_MISMATCH,
    /** The reference holds labels the model's vocabulary does not name. */
    REFERENCE_UNKNOWN_LABELS,
    /** The reference declares a vocabulary (label -> structure) other than the model's. */
    REFERENCE_VOCABULARY_MISMATCH
}
