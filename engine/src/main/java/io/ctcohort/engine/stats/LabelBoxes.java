package io.ctcohort.engine.stats;

import io.ctcohort.engine.image.LabelVolume;

/**
 * Per label, its bounding box in the label map's stored index order, {x0, x1, y0, y1, z0, z1}
 * inclusive, filled by {@link StatisticsCalculator#compute(io.ctcohort.engine.image.CtVolume,
 * LabelVolume, io.ctcohort.engine.labels.LabelMap, LabelBoxes)} in its one pass over the voxels,
 * so that per-structure work (biomarkers) can crop without a second pass over the labels.
 */
public final class LabelBoxes {
    private final int[][] boxes;

    private LabelBoxes(int capacity) {
        this.boxes = new int[capacity + 1][];
    }

    /** Empty boxes for every label the map can hold. */
    public static LabelBoxes forLabels(LabelVolume labels) {
        return new LabelBoxes(labels.capacity());
    }

    /** Adds the run x0..x1 of row (y, z). */
    void add(int label, int x0, int x1, int y, int z) {
        int[] b = boxes[label];
        if (b == null) {
            boxes[label] = new int[] {x0, x1, y, y, z, z};
            return;
        }
        b[0] = Math.min(b[0], x0);
        b[1] = Math.max(b[1], x1);
        b[2] = Math.min(b[2], y);
        b[3] = Math.max(b[3], y);
        b[4] = Math.min(b[4], z);
        b[5] = Math.max(b[5], z);
    }

    /** The box of a label, or null when it has no voxel. */
    public int[] box(int label) {
        return label >= 0 && label < boxes.length && boxes[label] != null ? boxes[label].clone() : null;
    }
}
