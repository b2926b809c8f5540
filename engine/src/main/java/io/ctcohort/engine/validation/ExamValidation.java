package io.ctcohort.engine.validation;

import io.ctcohort.engine.InvalidImageException;
import java.util.List;

/**
 * The validation of one exam: every structure of the model's vocabulary held against the reference,
 * or the reason it could not be done ({@code errorClass} ends in a stable code where the problem has
 * one, as a failed exam's does). A failure here fails the validation, never the exam.
 */
public record ExamValidation(List<StructureAgreement> structures, String errorClass, String errorMessage) {
    public ExamValidation {
        structures = List.copyOf(structures);
    }

    public static ExamValidation ok(List<StructureAgreement> structures) {
        return new ExamValidation(structures, null, null);
    }

    /**
     * A failed validation from what went wrong: reading the reference (a missing file gives
     * {@code FILE_NOT_FOUND}) or comparing it ({@link ValidationProblem}).
     */
    public static ExamValidation failed(Exception e) {
        String code = e instanceof InvalidImageException i ? i.code() : null;
        String errorClass = code == null ? e.getClass().getName() : e.getClass().getName() + ":" + code;
        return new ExamValidation(List.of(), errorClass, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    public boolean ok() {
        return errorClass == null;
    }
}
