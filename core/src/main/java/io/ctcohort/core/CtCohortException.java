package io.ctcohort.core;

/**
 * Base of every error ctcohort reports about an input (an image, a model, a manifest).
 * Unchecked so that per-exam code can let it travel to the one place that turns it into a
 * failed row; the message always names the offending file and the problem.
 */
public class CtCohortException extends RuntimeException {
    public CtCohortException(String message) {
        super(message);
    }

    public CtCohortException(String message, Throwable cause) {
        super(message, cause);
    }
}
