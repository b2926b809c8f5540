package io.ctcohort.pipeline.exam;

import java.io.Serializable;

/**
 * One unit of work: an exam, where its input lies, and what identifies that input
 * ({@link InputFingerprint}). (exam_id, fingerprint, model sha256) is the key of a result: a
 * staged or published result with the same key need not be computed again.
 */
public record ExamTask(String examId, String imageUri, String maskUri, String fingerprint, long sizeBytes,
                       String modelSha256) implements Serializable {

    /** The key as a short name (exam ids may hold any character): what staging files are indexed by. */
    public String key() {
        return key(examId, fingerprint, modelSha256);
    }

    /** The key of a result: equal to its task's {@link #key()}. */
    public static String key(ExamResult r) {
        return key(r.examId(), r.fingerprint(), r.modelSha256());
    }

    private static String key(String examId, String fingerprint, String modelSha256) {
        // NUL-separated so that no two keys share a text; 128 bits of the digest name a key uniquely.
        return ModelIdentity.sha256Hex(examId + '\0' + fingerprint + '\0' + modelSha256).substring(0, 32);
    }
}
