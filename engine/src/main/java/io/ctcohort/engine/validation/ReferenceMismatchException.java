package io.ctcohort.engine.validation;

import io.ctcohort.engine.InvalidImageException;

/** A reference label map that cannot be compared with the model's; the message names the file and what differs. */
public final class ReferenceMismatchException extends InvalidImageException {
    private final ValidationProblem problem;

    public ReferenceMismatchException(String reference, ValidationProblem problem, String message) {
        super(reference, message, null, problem.name());
        this.problem = problem;
    }

    public ValidationProblem problem() {
        return problem;
    }
}
