package io.ctcohort.pipeline.exam;

import java.io.Serializable;

/** Which model produced a result: model_id and the sha256 that makes it part of every result's key. */
public record ModelIdentity(String modelId, String sha256) implements Serializable {
}
