package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.measure.PhaseCall;
import java.io.Serializable;

/**
 * One unit of work: an exam, where its input lies, and what identifies that input
 * ({@link InputFingerprint}). (exam_id, fingerprint, model sha256) is the key of a result: a
 * staged or published result with the same key need not be computed again.
 *
 * @param givenPhase   the contrast phase the manifest gives (its own or the DICOM hint), or null; part of
 *                     the input, so part of the fingerprint ({@link #fingerprint(String, PhaseCall)})
 * @param referenceUri the reference label map the exam's segmentation is validated against
 *                     ({@code reference_mask_uri}), or null; part of the input and the fingerprint too
 */
public record ExamTask(String examId, ImageRef imageUri, ImageRef maskUri, String fingerprint, long sizeBytes,
                       String modelSha256, PhaseCall givenPhase, ImageRef referenceUri) implements Serializable {

    /** A task whose manifest gives no contrast phase and no reference. */
    public ExamTask(String examId, ImageRef imageUri, ImageRef maskUri, String fingerprint, long sizeBytes,
                    String modelSha256) {
        this(examId, imageUri, maskUri, fingerprint, sizeBytes, modelSha256, null, null);
    }

    /** A task without a reference. */
    public ExamTask(String examId, ImageRef imageUri, ImageRef maskUri, String fingerprint, long sizeBytes,
                    String modelSha256, PhaseCall givenPhase) {
        this(examId, imageUri, maskUri, fingerprint, sizeBytes, modelSha256, givenPhase, null);
    }

    /**
     * The fingerprint of the files plus the given phase, where there is one: a phase changed in the
     * manifest changes the exam's results (its phase, the biomarkers that depend on it), so the exam is
     * processed again. Without a given phase the fingerprint is the files' alone, as before phases.
     */
    public static String fingerprint(String files, PhaseCall givenPhase) {
        if (givenPhase == null || InputFingerprint.MISSING.equals(files)) {
            return files;
        }
        return files + "|phase:" + givenPhase.source().value() + "=" + givenPhase.phase().value();
    }

    /**
     * {@link #fingerprint(String, PhaseCall)} plus the reference label map's own fingerprint, where the
     * exam has one: a reference added, removed or rewritten changes the exam's validation rows, so the
     * exam is processed again. A missing reference is part of the fingerprint as {@code missing}: it
     * fails the validation only, and is retried when the file appears (its fingerprint changes).
     */
    public static String fingerprint(String files, PhaseCall givenPhase, String referenceFingerprint) {
        String fp = fingerprint(files, givenPhase);
        if (referenceFingerprint == null || InputFingerprint.MISSING.equals(files)) {
            return fp;
        }
        return fp + "|reference:" + referenceFingerprint;
    }

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
