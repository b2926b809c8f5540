package io.ctcohort.engine.dicom;

import io.ctcohort.engine.InvalidImageException;

/** A DICOM file or series that cannot be read as a CT, with a stable {@link Problem} code. */
public final class DicomException extends InvalidImageException {
    /** Stable codes, modelled on dicom2nifti's validation errors. */
    public enum Problem {
        NOT_DICOM, NO_DICOM_FILES, TRUNCATED, MALFORMED, UNSUPPORTED_TRANSFER_SYNTAX, CORRUPT_PIXEL_DATA,
        MISSING_ATTRIBUTE, UNSUPPORTED_IMAGE, SERIES_AMBIGUOUS, SERIES_NOT_FOUND, TOO_FEW_SLICES,
        INCONSISTENT_SLICES, ORIENTATION_INCONSISTENT, GANTRY_TILT, DUPLICATE_SLICE_POSITION,
        SLICE_INCREMENT_INCONSISTENT, IMAGE_TOO_LARGE
    }

    private final Problem problem;

    public DicomException(String location, Problem problem, String message) {
        this(location, problem, message, null);
    }

    public DicomException(String location, Problem problem, String message, Throwable cause) {
        super(location, message, cause, problem.name());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
