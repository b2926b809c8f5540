package io.ctcohort.engine;

import io.ctcohort.core.CtCohortException;

/** An image file that cannot be read as a CT or label map; the message names the file and the problem. */
public class InvalidImageException extends CtCohortException {
    public InvalidImageException(String file, String problem) {
        super(file + ": " + problem);
    }

    public InvalidImageException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    /**
     * A stable name for the kind of problem (e.g. {@code SLICE_INCREMENT_INCONSISTENT}) so that
     * failed exams group by cause; null where only the message says it.
     */
    public String code() {
        return null;
    }
}
