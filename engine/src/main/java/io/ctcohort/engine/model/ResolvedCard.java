package io.ctcohort.engine.model;

import java.util.Arrays;

/**
 * A model card with its defaults applied once, where the directory is loaded (nnU-Net resolves its
 * plans, labels and allowed mirror axes once in {@code initialize_from_trained_model_folder}). The
 * segmenter reads these values and never a default of its own. Arrays are copies, and the getters
 * return copies, so the record stays immutable.
 *
 * @param tileStep        tile overlap step as a fraction of the patch (nnU-Net: 0.5)
 * @param resamplingOrder 0 = nearest, 1 = linear (nnU-Net's CT default)
 * @param mirrorAxes      the axes (0 = x, 1 = y, 2 = z) of nnU-Net's test-time mirroring; empty: none
 */
public record ResolvedCard(String id, double[] targetSpacingMm, double tileStep, int resamplingOrder,
                           ModelCard.LabelResampling labelResampling, ModelCard.Normalization normalization,
                           int[] mirrorAxes) {
    /** nnU-Net's default overlap is 0.5; TotalSegmentator runs with 0.8. */
    public static final double DEFAULT_TILE_STEP = 0.5;
    /** nnU-Net resamples CT images with order 1 (linear). */
    public static final int DEFAULT_RESAMPLING_ORDER = 1;
    /** nnU-Net's allowed_mirroring_axes for 3-D: all three. */
    private static final int[] ALL_AXES = {0, 1, 2};

    public ResolvedCard {
        targetSpacingMm = targetSpacingMm.clone();
        mirrorAxes = mirrorAxes.clone();
    }

    /**
     * The card's values, each default filled in: tile_step 0.5, resampling_order 1, label_resampling
     * nearest, and the mirror axes of {@code mirror_axes} (all three when absent) only where
     * {@code mirroring} is true. A label_resampling the engine does not know resolves to null, which
     * {@link ModelDirectory} refuses.
     */
    public static ResolvedCard of(ModelCard card) {
        boolean mirroring = Boolean.TRUE.equals(card.mirroring());
        int[] axes = !mirroring ? new int[0] : card.mirrorAxes() != null ? card.mirrorAxes() : ALL_AXES;
        return new ResolvedCard(card.id(), card.targetSpacingMm(),
                card.tileStep() == null ? DEFAULT_TILE_STEP : card.tileStep(),
                card.resamplingOrder() == null ? DEFAULT_RESAMPLING_ORDER : card.resamplingOrder(),
                card.labelResampling() == null ? ModelCard.LabelResampling.NEAREST
                        : ModelCard.LabelResampling.parse(card.labelResampling()),
                card.normalization(), axes);
    }

    @Override
    public double[] targetSpacingMm() {
        return targetSpacingMm.clone();
    }

    @Override
    public int[] mirrorAxes() {
        return mirrorAxes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedCard r && id.equals(r.id) && Arrays.equals(targetSpacingMm, r.targetSpacingMm)
                && tileStep == r.tileStep && resamplingOrder == r.resamplingOrder
                && labelResampling == r.labelResampling && normalization.equals(r.normalization)
                && Arrays.equals(mirrorAxes, r.mirrorAxes);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(targetSpacingMm);
    }

    @Override
    public String toString() {
        return "ResolvedCard[" + id + ", spacing " + Arrays.toString(targetSpacingMm) + ", tile_step " + tileStep
                + ", resampling_order " + resamplingOrder + ", label_resampling " + labelResampling
                + ", mirror_axes " + Arrays.toString(mirrorAxes) + "]";
    }
}
