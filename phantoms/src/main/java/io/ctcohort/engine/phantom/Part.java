package io.ctcohort.engine.phantom;

/**
 * One painting step: every voxel inside {@code shape} gets {@code label}, {@code hu} and
 * {@code tissue}. A part with a shell ({@code shellHu} not NaN) is a bone: its outermost voxel layer
 * on the grid it is painted on (a voxel with one of its 6 neighbours outside the shape) is cortical
 * bone of {@code shellHu}, so the cortex is exactly one voxel thick, however coarse the grid.
 */
record Part(Shape shape, int label, float hu, Tissue tissue, float shellHu) {

    Part(Shape shape, int label, float hu, Tissue tissue) {
        this(shape, label, hu, tissue, Float.NaN);
    }

    /** A bone: a cortical shell of {@code shellHu} around a core of {@code coreHu} and {@code coreTissue}. */
    static Part shelled(Shape shape, int label, float coreHu, Tissue coreTissue, float shellHu) {
        return new Part(shape, label, coreHu, coreTissue, shellHu);
    }

    boolean hasShell() {
        return !Float.isNaN(shellHu);
    }
}
