package io.ctcohort.engine.model;

import io.ctcohort.core.CtCohortException;

/** A model file whose sha256 differs from its model card's: it is never loaded. */
public class ModelIntegrityException extends CtCohortException {
    public ModelIntegrityException(String message) {
        super(message);
    }
}
