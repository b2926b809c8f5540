package io.ctcohort.pipeline.exam;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One unit of work: an exam, where its input lies, and what identifies that input
 * ({@link InputFingerprint}). (exam_id, fingerprint, model sha256) is the key of a result: a
 * staged or published result with the same key need not be computed again.
 */
public record ExamTask(String examId, String imageUri, String maskUri, String fingerprint, long sizeBytes,
                       String modelSha256) implements Serializable {

    /** File name of this task's ok result in a staging folder: a digest of the key (exam ids may hold any character). */
    public String stagingName() {
        return keyDigest() + ".json";
    }

    /** File name of this task's failed result: kept apart so that a re-run retries it rather than reusing it. */
    public String stagingFailedName() {
        return keyDigest() + ".failed.json";
    }

    private String keyDigest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(examId.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(modelSha256.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
