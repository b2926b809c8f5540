package io.ctcohort.core.layout;

import io.ctcohort.core.CtCohortException;

/** A path that holds no readable run (missing, incomplete, LATEST naming nothing); the message names it. */
public class InvalidRunException extends CtCohortException {
    public InvalidRunException(String message) {
        super(message);
    }

    public InvalidRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
