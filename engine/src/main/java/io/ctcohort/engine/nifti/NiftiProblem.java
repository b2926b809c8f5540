package io.ctcohort.engine.nifti;

import io.ctcohort.engine.InvalidImageException;

/**
 * Stable codes of NIfTI read errors (as DICOM's {@code DicomException.Problem}): a failed exam's
 * error_class ends in {@code :CODE}, so failures group by cause.
 */
public enum NiftiProblem {
    FILE_NOT_FOUND, UNREADABLE, NOT_NIFTI, TRUNCATED, CORRUPT_GZIP, MALFORMED_HEADER, HEADER_IMAGE_PAIR,
    UNSUPPORTED_DATATYPE, INVALID_DIMENSIONS, INVALID_SPACING, INVALID_AFFINE, INVALID_SCALING, NOT_A_LABEL_MAP;

    InvalidImageException at(String file, String problem) {
        return at(file, problem, null);
    }

    InvalidImageException at(String file, String problem, Throwable cause) {
        return new InvalidImageException(file, problem, cause, name());
    }
}
