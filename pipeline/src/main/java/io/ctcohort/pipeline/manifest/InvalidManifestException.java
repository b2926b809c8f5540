package io.ctcohort.pipeline.manifest;

import io.ctcohort.core.CtCohortException;

/** A manifest that cannot be run: the message names the file and every offending row (up to a limit). */
public final class InvalidManifestException extends CtCohortException {
    public InvalidManifestException(String message) {
        super(message);
    }
}
