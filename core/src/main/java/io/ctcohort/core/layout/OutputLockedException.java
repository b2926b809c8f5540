package io.ctcohort.core.layout;

import io.ctcohort.core.CtCohortException;

/** Another live job writes to the same output root (or took it over from this one). */
public final class OutputLockedException extends CtCohortException {
    public OutputLockedException(String message) {
        super(message);
    }
}
