package io.ctcohort.engine;

import io.ctcohort.core.CtCohortException;

/** An image file that cannot be read as a CT or label map; the message names the file and the problem. */
public class InvalidImageException extends CtCohortException {
    private final String code;

    public InvalidImageException(String file, String problem) {
        this(file, problem, null, null);
    }

    public InvalidImageException(String file, String problem, Throwable cause) {
        this(file, problem, cause, null);
    }

    /** With a stable {@link #code()} (an upper-case name such as {@code TRUNCATED}). */
    public InvalidImageException(String file, String problem, Throwable cause, String code) {
        super(file + ": " + problem, cause);
        this.code = code;
    }

    /**
     * A stable name for the kind of problem (e.g. {@code SLICE_INCREMENT_INCONSISTENT}) so that
     * failed exams group by cause; null where only the message says it.
     */
    public String code() {
        return code;
    }
}
