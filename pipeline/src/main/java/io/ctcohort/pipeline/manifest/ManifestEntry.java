package io.ctcohort.pipeline.manifest;

import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.measure.PhaseCall;
import java.util.Arrays;
import java.util.Objects;

/**
 * One exam of a manifest.
 *
 * @param row              where it came from: the CSV line number (header = line 1) or the Parquet row (1-based)
 * @param values           every manifest column except exam_id and the input columns ({@link ContrastColumns#PHASE}),
 *                         in {@link Manifest#passThrough()} order, typed as the column's Spark type (String, Long,
 *                         Double, Boolean or null)
 * @param givenPhase       the contrast phase the row gives ({@link ContrastColumns}), or null: the engine estimates it
 * @param imageUri         the row's {@code image_uri}, resolved against the manifest's folder and parsed
 * @param maskUri          the row's {@code mask_uri} (a NIfTI label map), resolved and parsed, or null
 * @param referenceMaskUri the row's {@code reference_mask_uri} (a reference label map of the same CT, resolved as
 *                         mask_uri is), or null: the exam is not a validation exam
 */
public record ManifestEntry(long row, String examId, ImageRef imageUri, ImageRef maskUri, Object[] values,
                            PhaseCall givenPhase, ImageRef referenceMaskUri) {
    public ManifestEntry(long row, String examId, ImageRef imageUri, ImageRef maskUri, Object[] values) {
        this(row, examId, imageUri, maskUri, values, null, null);
    }

    public ManifestEntry(long row, String examId, ImageRef imageUri, ImageRef maskUri, Object[] values,
                         PhaseCall givenPhase) {
        this(row, examId, imageUri, maskUri, values, givenPhase, null);
    }

    /** The same exam under another id with other pass-through values; its inputs (phase, reference) kept. */
    public ManifestEntry with(String newExamId, Object[] newValues) {
        return new ManifestEntry(row, newExamId, imageUri, maskUri, newValues, givenPhase, referenceMaskUri);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e && row == e.row && examId.equals(e.examId)
                && Objects.equals(imageUri, e.imageUri) && Objects.equals(maskUri, e.maskUri)
                && Arrays.equals(values, e.values) && Objects.equals(givenPhase, e.givenPhase)
                && Objects.equals(referenceMaskUri, e.referenceMaskUri);
    }

    @Override
    public int hashCode() {
        return examId.hashCode();
    }
}
