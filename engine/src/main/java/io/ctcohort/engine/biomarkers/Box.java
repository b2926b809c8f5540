package io.ctcohort.engine.biomarkers;

/**
 * An inclusive box of voxel indices, on an exam's canonical (RAS+) grid (x toward the right, y
 * anterior, z superior) unless it comes from {@link ExamVolume#storedBox} (the arrays' own order).
 */
record Box(int x0, int x1, int y0, int y1, int z0, int z1) {

    int width() {
        return x1 - x0 + 1;
    }

    int depth() {
        return y1 - y0 + 1;
    }

    int height() {
        return z1 - z0 + 1;
    }

    /** This box grown by the margins on each side, clipped to a grid of nx x ny x nz. */
    Box grown(int mx, int my, int mz, int nx, int ny, int nz) {
        return new Box(Math.max(0, x0 - mx), Math.min(nx - 1, x1 + mx), Math.max(0, y0 - my),
                Math.min(ny - 1, y1 + my), Math.max(0, z0 - mz), Math.min(nz - 1, z1 + mz));
    }

    /** Whether the box reaches the first or the last axial slice: the field of view cuts the structure. */
    boolean touchesAxialEnds(int nz) {
        return z0 == 0 || z1 == nz - 1;
    }
}
