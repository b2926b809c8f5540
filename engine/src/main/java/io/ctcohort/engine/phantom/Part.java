package io.ctcohort.engine.phantom;

/** One painting step: every voxel inside {@code shape} gets {@code label} and {@code hu}. */
record Part(Shape shape, int label, float hu) {
}
