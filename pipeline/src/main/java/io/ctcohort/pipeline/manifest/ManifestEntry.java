package io.ctcohort.pipeline.manifest;

import java.util.Arrays;

/**
 * One exam of a manifest.
 *
 * @param row     where it came from: the CSV line number (header = line 1) or the Parquet row (1-based)
 * @param values  every manifest column except exam_id, in {@link Manifest#passThrough()} order, typed
 *                as the column's Spark type (String, Long, Double, Boolean or null)
 */
public record ManifestEntry(long row, String examId, String imageUri, String maskUri, Object[] values) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ManifestEntry e && row == e.row && examId.equals(e.examId)
                && imageUri.equals(e.imageUri) && java.util.Objects.equals(maskUri, e.maskUri)
                && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return examId.hashCode();
    }
}
