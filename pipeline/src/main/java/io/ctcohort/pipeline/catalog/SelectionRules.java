package io.ctcohort.pipeline.catalog;

import java.io.Serializable;

/**
 * Which series of a study the manifest takes. Eligible: modality CT, image type ORIGINAL\PRIMARY,
 * axial, at least {@code minSlices} images besides localizers, readable. Among the eligible, the
 * first in this order: soft-tissue kernel before unknown before lung/bone ({@link SeriesTraits});
 * slice thickness within [{@code minThicknessMm}, {@code maxThicknessMm}] before outside it; thinner
 * slices; more images; lower series number; then the series UID, so ties break the same way on
 * every run.
 */
public record SelectionRules(int minSlices, double minThicknessMm, double maxThicknessMm) implements Serializable {
    public static final SelectionRules DEFAULT = new SelectionRules(10, 0.5, 5.0);
}
