package io.ctcohort.engine.infer;

/**
 * One network input: the tile starting at padded (x0, y0, z0) of a {@link TileGrid}, flipped along
 * the axes in {@code mirror} (bit 0 = x, 1 = y, 2 = z; 0 = as is), see {@link Mirroring}.
 */
record Tile(int x0, int y0, int z0, int mirror) {
    boolean flipsX() {
        return (mirror & 1) != 0;
    }

    boolean flipsY() {
        return (mirror & 2) != 0;
    }

    boolean flipsZ() {
        return (mirror & 4) != 0;
    }
}
