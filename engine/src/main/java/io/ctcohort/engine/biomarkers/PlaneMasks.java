package io.ctcohort.engine.biomarkers;

/**
 * Operations on one axial plane of booleans, {@code w x h}, index {@code x + w * y}: dilation,
 * erosion and closing by a disc in mm, connected components, flood fill and hole filling. Planes
 * are small (one slice or a crop), so each operation allocates its own buffers.
 */
final class PlaneMasks {
    private PlaneMasks() {
    }

    /**
     * In-plane offsets (dx, dy) of the disc of {@code radiusMm} (voxel centres within the radius,
     * the centre included) for pixels of sx x sy mm.
     */
    static int[][] disc(double radiusMm, double sx, double sy) {
        int rx = (int) Math.floor(radiusMm / sx + 1e-9);
        int ry = (int) Math.floor(radiusMm / sy + 1e-9);
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int dy = -ry; dy <= ry; dy++) {
            for (int dx = -rx; dx <= rx; dx++) {
                if (dx * sx * dx * sx + dy * sy * dy * sy <= radiusMm * radiusMm + 1e-9) {
                    out.add(new int[] {dx, dy});
                }
            }
        }
        return out.toArray(new int[0][]);
    }

    /**
     * Dilation by a disc: the mask plus every pixel within the disc of a mask pixel. Only contour
     * pixels (a 4-neighbour outside the mask, or on the plane's edge) stamp the disc: an interior
     * pixel's disc reaches nothing outside the mask that a contour pixel's disc does not.
     */
    static boolean[] dilate(boolean[] mask, int w, int h, int[][] disc) {
        boolean[] out = mask.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = x + w * y;
                if (!mask[p] || !contour(mask, w, h, x, y)) {
                    continue;
                }
                for (int[] o : disc) {
                    int xx = x + o[0];
                    int yy = y + o[1];
                    if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                        out[xx + w * yy] = true;
                    }
                }
            }
        }
        return out;
    }

    private static boolean contour(boolean[] mask, int w, int h, int x, int y) {
        int p = x + w * y;
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || !mask[p - 1] || !mask[p + 1] || !mask[p - w]
                || !mask[p + w];
    }

    /** Erosion by a disc: the pixels whose disc lies inside the mask (beyond the plane counts as outside). */
    static boolean[] erode(boolean[] mask, int w, int h, int[][] disc) {
        boolean[] outside = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            outside[i] = !mask[i];
        }
        boolean[] grown = dilate(outside, w, h, disc);
        int rx = 0;
        int ry = 0;
        for (int[] o : disc) {
            rx = Math.max(rx, Math.abs(o[0]));
            ry = Math.max(ry, Math.abs(o[1]));
        }
        boolean[] out = new boolean[mask.length];
        for (int y = ry; y < h - ry; y++) { // the disc of a pixel nearer the edge leaves the plane
            for (int x = rx; x < w - rx; x++) {
                int p = x + w * y;
                out[p] = !grown[p];
            }
        }
        return out;
    }

    /** Closing by a disc (dilation, then erosion): fills gaps narrower than the disc's diameter. */
    static boolean[] close(boolean[] mask, int w, int h, int[][] disc) {
        return erode(dilate(mask, w, h, disc), w, h, disc);
    }

    /**
     * Component ids (1, 2, ... in raster order of their first pixel; 0 outside the mask) with
     * 8-connectivity, by two raster passes with union-find (Rosenfeld and Pfaltz 1966): each pixel
     * takes the label of its west, north-west, north and north-east neighbours, merging them.
     */
    static int[] components(boolean[] mask, int w, int h) {
        int[] id = new int[mask.length];
        int[] parent = new int[64];
        int next = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0, p = w * y; x < w; x++, p++) {
                if (!mask[p]) {
                    continue;
                }
                int l = 0;
                if (x > 0 && id[p - 1] != 0) {
                    l = join(parent, l, id[p - 1]);
                }
                if (y > 0) {
                    if (x > 0 && id[p - w - 1] != 0) {
                        l = join(parent, l, id[p - w - 1]);
                    }
                    if (id[p - w] != 0) {
                        l = join(parent, l, id[p - w]);
                    }
                    if (x < w - 1 && id[p - w + 1] != 0) {
                        l = join(parent, l, id[p - w + 1]);
                    }
                }
                if (l == 0) {
                    l = ++next;
                    if (l >= parent.length) {
                        parent = java.util.Arrays.copyOf(parent, 2 * parent.length);
                    }
                    parent[l] = l;
                }
                id[p] = l;
            }
        }
        int[] remap = new int[next + 1];
        int n = 0;
        for (int p = 0; p < id.length; p++) {
            if (id[p] != 0) {
                int r = find(parent, id[p]);
                if (remap[r] == 0) {
                    remap[r] = ++n;
                }
                id[p] = remap[r];
            }
        }
        return id;
    }

    /** Merges label b into the set of a (a = 0: none yet) and returns the set's root. */
    private static int join(int[] parent, int a, int b) {
        int rb = find(parent, b);
        if (a == 0) {
            return rb;
        }
        int ra = find(parent, a);
        if (ra == rb) {
            return ra;
        }
        int root = Math.min(ra, rb);
        parent[Math.max(ra, rb)] = root;
        return root;
    }

    private static int find(int[] parent, int l) {
        while (parent[l] != l) {
            parent[l] = parent[parent[l]]; // path halving
            l = parent[l];
        }
        return l;
    }

    /** The largest 8-connected component of the mask (empty when the mask is). */
    static boolean[] largestComponent(boolean[] mask, int w, int h) {
        int[] id = components(mask, w, h);
        int max = 0;
        for (int v : id) {
            max = Math.max(max, v);
        }
        int[] size = new int[max + 1];
        for (int v : id) {
            size[v]++;
        }
        int best = 0;
        for (int c = 1; c <= max; c++) {
            if (size[c] > size[best] || best == 0) {
                best = c;
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = best != 0 && id[i] == best;
        }
        return out;
    }

    /**
     * The pixels reached from the seeds by 4-connected steps through {@code passable} pixels (seeds
     * that are not passable are not reached).
     */
    static boolean[] flood(boolean[] seeds, boolean[] passable, int w, int h) {
        boolean[] reached = new boolean[seeds.length];
        int[] queue = new int[seeds.length];
        int tail = 0;
        for (int i = 0; i < seeds.length; i++) {
            if (seeds[i] && passable[i]) {
                reached[i] = true;
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            int p = queue[head];
            int y = p / w;
            int x = p - y * w;
            if (x > 0 && passable[p - 1] && !reached[p - 1]) {
                reached[p - 1] = true;
                queue[tail++] = p - 1;
            }
            if (x < w - 1 && passable[p + 1] && !reached[p + 1]) {
                reached[p + 1] = true;
                queue[tail++] = p + 1;
            }
            if (y > 0 && passable[p - w] && !reached[p - w]) {
                reached[p - w] = true;
                queue[tail++] = p - w;
            }
            if (y < h - 1 && passable[p + w] && !reached[p + w]) {
                reached[p + w] = true;
                queue[tail++] = p + w;
            }
        }
        return reached;
    }

    /** The mask with its holes filled: every pixel not reachable from the plane's edge through the complement. */
    static boolean[] fillHoles(boolean[] mask, int w, int h) {
        boolean[] outside = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            outside[i] = !mask[i];
        }
        boolean[] edge = new boolean[mask.length];
        for (int x = 0; x < w; x++) {
            edge[x] = true;
            edge[x + w * (h - 1)] = true;
        }
        for (int y = 0; y < h; y++) {
            edge[w * y] = true;
            edge[w - 1 + w * y] = true;
        }
        boolean[] reached = flood(edge, outside, w, h);
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = !reached[i];
        }
        return out;
    }
}
