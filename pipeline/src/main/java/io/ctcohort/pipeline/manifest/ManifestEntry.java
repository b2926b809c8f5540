package io.ctcohort.pipeline.manifest;

import io.ctcohort.engine.measure.PhaseCall;
import java.util.Arrays;
import java.util.Objects;

/**
 * One exam of a manifest.
 *
 * @param row        where it came from: the CSV line number (header = line 1) or the Parquet row (1-based)
 * @param values     every manifest column except exam_id and the input columns ({@link ContrastColumns#PHASE}),
 *                   in {@link Manifest#passThrough()} order, typed as the column's Spark type (String, Long,
 *                   Double, Boolean or null)
 * @param givenPhase the contrast phase the row gives ({@link ContrastColumns}), or null: the engine estimates it
 */
public record ManifestEntry(long row, String examId, String imageUri, String maskUri, Object[] values,
                            PhaseCall givenPhase) {
    public ManifestEntry(long row, String examId, String imageUri, String maskUri, Object[] values) {
        this(row, examId, imageUri, maskUri, values, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e && row == e.row && examId.equals(e.examId)
                && imageUri.equals(e.imageUri) && Objects.equals(maskUri, e.maskUri)
                && Arrays.equals(values, e.values) && Objects.equals(givenPhase, e.givenPhase);
    }

    @Override
    public int hashCode() {
        return examId.hashCode();
    }
}
