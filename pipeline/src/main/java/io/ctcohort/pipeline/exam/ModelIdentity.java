package io.ctcohort.pipeline.exam;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Which model produced a result: model_id and the sha256 that makes it part of every result's key. */
public record ModelIdentity(String modelId, String sha256) implements Serializable {

    /** Hex SHA-256 of a text's UTF-8 bytes: the one digest every key in the pipeline is made of. */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
