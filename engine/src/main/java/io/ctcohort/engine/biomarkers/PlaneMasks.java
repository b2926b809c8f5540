package io.ctcohort.engine.biomarkers;

/**
 * Operations on one axial plane of booleans, {@code w x h}, index {@code x + w * y}: the exact
 * Euclidean distance transform in mm (Felzenszwalb and Huttenlocher 2012, "Distance Transforms of
 * Sampled Functions", separable lower envelope of parabolas), connected components and flood fill.
 * Planes are small (one slice or a crop), so each operation allocates its own buffers.
 */
final class PlaneMasks {
    private static final double FAR = 1e20;

    private PlaneMasks() {
    }

    /**
     * Squared distance in mm² from each pixel to the nearest pixel where {@code target} is true
     * (0 on target pixels); pixels beyond the plane are not targets.
     */
    static double[] squaredDistanceTo(boolean[] target, int w, int h, double sx, double sy) {
        double[] d = new double[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = target[i] ? 0 : FAR;
        }
        int n = Math.max(w, h);
        double[] f = new double[n];
        double[] out = new double[n];
        int[] v = new int[n];
        double[] z = new double[n + 1];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                f[x] = d[x + w * y];
            }
            lowerEnvelope(f, w, sx, out, v, z);
            for (int x = 0; x < w; x++) {
                d[x + w * y] = out[x];
            }
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                f[y] = d[x + w * y];
            }
            lowerEnvelope(f, h, sy, out, v, z);
            for (int y = 0; y < h; y++) {
                d[x + w * y] = out[y];
            }
        }
        return d;
    }

    /** One dimension: out[q] = min over p of (s (q - p))² + f[p]. */
    private static void lowerEnvelope(double[] f, int n, double s, double[] out, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double fq = f[q] + (q * s) * (q * s);
            double cross = (fq - (f[v[k]] + (v[k] * s) * (v[k] * s))) / (2 * s * (q - v[k]));
            while (cross <= z[k]) { // z[0] is -infinity: k never goes below 0
                k--;
                cross = (fq - (f[v[k]] + (v[k] * s) * (v[k] * s))) / (2 * s * (q - v[k]));
            }
            k++;
            v[k] = q;
            z[k] = cross;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q * s) {
                k++;
            }
            double dq = (q - v[k]) * s;
            out[q] = dq * dq + f[v[k]];
        }
    }

    /** The pixels of {@code mask} within {@code radiusMm} of a true pixel of it (a disc dilation). */
    static boolean[] dilate(boolean[] mask, int w, int h, double sx, double sy, double radiusMm) {
        double[] d = squaredDistanceTo(mask, w, h, sx, sy);
        boolean[] out = new boolean[d.length];
        double r2 = radiusMm * radiusMm + 1e-9;
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i] <= r2;
        }
        return out;
    }

    /** The pixels of {@code mask} farther than {@code radiusMm} from every false pixel (a disc erosion). */
    static boolean[] erode(boolean[] mask, int w, int h, double sx, double sy, double radiusMm) {
        boolean[] outside = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            outside[i] = !mask[i];
        }
        double[] d = squaredDistanceTo(outside, w, h, sx, sy);
        boolean[] out = new boolean[d.length];
        double r2 = radiusMm * radiusMm + 1e-9;
        for (int i = 0; i < d.length; i++) {
            out[i] = mask[i] && d[i] > r2;
        }
        return out;
    }

    /** Morphological closing by a disc: dilation then erosion; fills gaps narrower than 2 r. */
    static boolean[] close(boolean[] mask, int w, int h, double sx, double sy, double radiusMm) {
        return erode(dilate(mask, w, h, sx, sy, radiusMm), w, h, sx, sy, radiusMm);
    }

    /**
     * Component ids (1, 2, ...; 0 outside the mask) with 8-connectivity; {@code sizes[id]} is filled
     * when the array is long enough. Returns the ids; the number of components is {@code max id}.
     */
    static int[] components(boolean[] mask, int w, int h) {
        int[] id = new int[mask.length];
        int[] queue = new int[mask.length];
        int next = 0;
        for (int s = 0; s < mask.length; s++) {
            if (!mask[s] || id[s] != 0) {
                continue;
            }
            next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            id[s] = next;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int y = py + dy;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = px + dx;
                        int q = x + w * y;
                        if (x >= 0 && x < w && mask[q] && id[q] == 0) {
                            id[q] = next;
                            queue[tail++] = q;
                        }
                    }
                }
            }
        }
        return id;
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
            int x = p % w;
            int y = p / w;
            int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
            for (int q : next) {
                if (q >= 0 && passable[q] && !reached[q]) {
                    reached[q] = true;
                    queue[tail++] = q;
                }
            }
        }
        return reached;
    }

    /** The mask with its holes filled: every pixel not reachable from the plane's edge through the complement. */
    static boolean[] fillHoles(boolean[] mask, int w, int h) {
        boolean[] outside = new boolean[mask.length];
        boolean[] edge = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            outside[i] = !mask[i];
            int x = i % w;
            int y = i / w;
            edge[i] = x == 0 || y == 0 || x == w - 1 || y == h - 1;
        }
        boolean[] reached = flood(edge, outside, w, h);
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = !reached[i];
        }
        return out;
    }
}
