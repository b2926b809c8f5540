package io.ctcohort.engine.infer;

/**
 * nnU-Net's test-time mirroring ({@code _internal_maybe_mirror_and_predict}): each tile is also
 * predicted flipped along every combination of the card's mirror axes, and each output is flipped
 * back when accumulated ({@link LogitRing}). nnU-Net divides the sum of the predictions by their
 * number, the same for every tile and class, which cannot change the argmax, so we do not.
 */
final class Mirroring {
    private Mirroring() {
    }

    /**
     * The flip masks to run per tile (bit 0 = x, 1 = y, 2 = z), in nnU-Net's order: the tile as is,
     * then every combination of {@code axes} by size ({@code itertools.combinations} of 1, 2, then 3
     * axes). No axes: only the tile as is; all three: 0, x, y, z, xy, xz, yz, xyz.
     */
    static int[] masks(int[] axes) {
        int[] sorted = axes.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        int[] out = new int[1 << n];
        int k = 1;
        for (int size = 1; size <= n; size++) {
            // subsets of `size` axes in lexicographic order of their indices, as combinations() yields them
            k = combinations(sorted, size, 0, 0, out, k);
        }
        return out;
    }

    private static int combinations(int[] axes, int size, int from, int mask, int[] out, int k) {
        if (size == 0) {
            out[k] = mask;
            return k + 1;
        }
        for (int i = from; i <= axes.length - size; i++) {
            k = combinations(axes, size - 1, i + 1, mask | (1 << axes[i]), out, k);
        }
        return k;
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
