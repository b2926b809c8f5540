package io.ctcohort.engine.infer;

/**
 * nnU-Net's test-time mirroring ({@code _internal_maybe_mirror_and_predict}): each tile is also
 * predicted flipped along every combination of axes, and each output is flipped back when
 * accumulated ({@link LogitRing}). nnU-Net divides the sum of the 8 predictions by 8, the same for
 * every tile and class, which cannot change the argmax, so we do not.
 */
final class Mirroring {
    /** The flips, in nnU-Net's order (bit 0 = x, 1 = y, 2 = z). */
    private static final int[] ALL = {0, 1, 2, 4, 3, 5, 6, 7};
    private static final int[] NONE = {0};

    private Mirroring() {
    }

    /** The flip masks to run per tile: all eight with mirroring, else only the tile as is. */
    static int[] masks(boolean mirroring) {
        return mirroring ? ALL.clone() : NONE.clone();
    }

    /** The tile {@code src} (px*py*pz, x fastest) flipped along the axes in {@code mask}, into {@code dst}. */
    static void flip(float[] src, float[] dst, int mask, int px, int py, int pz) {
        boolean fx = (mask & 1) != 0;
        boolean fy = (mask & 2) != 0;
        boolean fz = (mask & 4) != 0;
        for (int tz = 0; tz < pz; tz++) {
            int sz = fz ? pz - 1 - tz : tz;
            for (int ty = 0; ty < py; ty++) {
                int sy = fy ? py - 1 - ty : ty;
                int from = (sz * py + sy) * px;
                int to = (tz * py + ty) * px;
                if (!fx) {
                    System.arraycopy(src, from, dst, to, px);
                } else {
                    for (int x = 0; x < px; x++) {
                        dst[to + x] = src[from + px - 1 - x];
                    }
                }
            }
        }
    }
}
