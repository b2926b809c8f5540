package io.ctcohort.analytics;

import io.ctcohort.core.CtCohortException;

/** Bad analytics input: a missing table, column or run folder; the message names the path and the problem. */
public class AnalyticsException extends CtCohortException {
    public AnalyticsException(String message) {
        super(message);
    }

    public AnalyticsException(String message, Throwable cause) {
        super(message, cause);
    }
}
