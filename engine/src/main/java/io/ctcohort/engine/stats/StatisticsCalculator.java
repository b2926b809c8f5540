package io.ctcohort.engine.stats;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.GridMatch;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-structure statistics for every structure at once, in ONE pass over the voxels.
 *
 * <p>The pass builds, per label present, an exact histogram of its int16 HU values; every
 * statistic then comes from the histogram: counts, exact integer sums (mean), the population
 * variance, and exact order statistics for the median and percentiles. Histograms are paged:
 * 256 lazily allocated pages of 256 bins per label, so a label costs only the pages of the HU
 * range it actually spans (a CT organ: a few pages, ~4 KB each) instead of a 65536-bin array
 * (256 KB) per label, and a uint16 map with thousands of labels stays small. This beats sorting
 * (O(n log n), and a copy of the voxels) and per-label passes (O(labels x n)).
 */
public final class StatisticsCalculator {
    /** TotalSegmentator's border rule: index < 3 or >= n - 3 on any axis. */
    public static final int BORDER_PLANES = 3;
    private static final int PAGE_BITS = 8;
    private static final int PAGE = 1 << PAGE_BITS;

    private StatisticsCalculator() {
    }

    /** Statistics of every structure of {@code map}, in label order; the two grids must match. */
    public static List<StructureStatistics> compute(CtVolume ct, LabelVolume labels, LabelMap map) {
        return compute(ct, labels, map, null);
    }

    /**
     * As {@link #compute(CtVolume, LabelVolume, LabelMap)}, also filling {@code boxes} (when not
     * null) with every label's bounding box in the same pass.
     */
    public static List<StructureStatistics> compute(CtVolume ct, LabelVolume labels, LabelMap map, LabelBoxes boxes) {
        Geometry g = ct.geometry();
        String differs = GridMatch.difference(g, labels.geometry());
        if (differs != null) {
            throw new CtCohortException("CT grid " + g + " and label grid " + labels.geometry() + " differ: " + differs);
        }
        int[][][] hist = new int[labels.capacity() + 1][][];
        boolean[] border = new boolean[labels.capacity() + 1];
        histogram(ct.hu(), labels, g.nx(), g.ny(), g.nz(), hist, border, boxes);

        double voxelMm3 = g.voxelVolumeMm3();
        List<StructureStatistics> out = new ArrayList<>(map.size());
        for (Map.Entry<Integer, String> e : map.asMap().entrySet()) {
            int label = e.getKey();
            int[][] h = label < hist.length ? hist[label] : null;
            out.add(h == null ? StructureStatistics.absent(label, e.getValue())
                    : summarize(label, e.getValue(), h, border[label], voxelMm3));
        }
        return out;
    }

    /**
     * The one pass: voxel (x, y, z) adds its HU to its label's histogram and marks border contact.
     * Rows are split into their border segments (x < 3, x >= nx - 3, or the whole row when y or z is
     * near a face), which mark contact, and the interior segment, which need not check.
     */
    private static void histogram(short[] hu, LabelVolume labels, int nx, int ny, int nz,
                                  int[][][] hist, boolean[] border, LabelBoxes boxes) {
        Accumulator acc = new Accumulator(hu, labels.uint8(), labels.uint16(), hist, border);
        if (boxes != null) {
            acc.boxes = boxes;
        }
        int xLo = Math.min(BORDER_PLANES, nx);
        int xHi = Math.max(xLo, nx - BORDER_PLANES);
        for (int z = 0; z < nz; z++) {
            boolean zBorder = z < BORDER_PLANES || z >= nz - BORDER_PLANES;
            for (int y = 0; y < ny; y++) {
                int row = nx * (y + ny * z);
                acc.row(row, y, z);
                if (zBorder || y < BORDER_PLANES || y >= ny - BORDER_PLANES) {
                    acc.add(row, row + nx, true);
                } else {
                    acc.add(row, row + xLo, true);
                    acc.add(row + xLo, row + xHi, false);
                    acc.add(row + xHi, row + nx, true);
                }
            }
        }
    }

    /** Adds voxels [from, to) to the paged histograms; consecutive voxels of one label share a lookup. */
    private static final class Accumulator {
        private final short[] hu;
        private final byte[] u8;
        private final short[] u16;
        private final int[][][] hist;
        private final boolean[] border;
        private LabelBoxes boxes;
        private int rowStart;
        private int y;
        private int z;

        Accumulator(short[] hu, byte[] u8, short[] u16, int[][][] hist, boolean[] border) {
            this.hu = hu;
            this.u8 = u8;
            this.u16 = u16;
            this.hist = hist;
            this.border = border;
        }

        void row(int start, int y, int z) {
            this.rowStart = start;
            this.y = y;
            this.z = z;
        }

        void add(int from, int to, boolean atBorder) {
            if (boxes != null) {
                addWithBoxes(from, to, atBorder);
            } else if (u8 != null) {
                for (int i = from; i < to; i++) {
                    int label = u8[i] & 0xFF;
                    if (label != 0) {
                        count(label, hu[i], atBorder);
                    }
                }
            } else {
                for (int i = from; i < to; i++) {
                    int label = u16[i] & 0xFFFF;
                    if (label != 0) {
                        count(label, hu[i], atBorder);
                    }
                }
            }
        }

        /** As add, also extending each run's label box (a run cut by a segment end is added twice: harmless). */
        private void addWithBoxes(int from, int to, boolean atBorder) {
            int prev = 0;
            int start = from;
            for (int i = from; i < to; i++) {
                int label = u8 != null ? u8[i] & 0xFF : u16[i] & 0xFFFF;
                if (label != prev) {
                    if (prev != 0) {
                        boxes.add(prev, start - rowStart, i - 1 - rowStart, y, z);
                    }
                    prev = label;
                    start = i;
                }
                if (label != 0) {
                    count(label, hu[i], atBorder);
                }
            }
            if (prev != 0) {
                boxes.add(prev, start - rowStart, to - 1 - rowStart, y, z);
            }
        }

        private void count(int label, short value, boolean atBorder) {
            int bin = value + 32768; // 0..65535
            int[][] pages = hist[label];
            if (pages == null) {
                pages = hist[label] = new int[PAGE][];
            }
            int[] page = pages[bin >>> PAGE_BITS];
            if (page == null) {
                page = pages[bin >>> PAGE_BITS] = new int[PAGE];
            }
            page[bin & (PAGE - 1)]++;
            if (atBorder) {
                border[label] = true;
            }
        }
    }

    private static StructureStatistics summarize(int label, String name, int[][] pages, boolean border,
                                                 double voxelMm3) {
        long n = 0;
        long sum = 0; // exact: |hu| <= 2^15 and n < 2^31
        for (int p = 0; p < PAGE; p++) {
            if (pages[p] != null) {
                for (int b = 0; b < PAGE; b++) {
                    long c = pages[p][b];
                    n += c;
                    sum += c * value(p, b);
                }
            }
        }
        double mean = (double) sum / n;
        double ss = 0;
        for (int p = 0; p < PAGE; p++) {
            if (pages[p] != null) {
                for (int b = 0; b < PAGE; b++) {
                    if (pages[p][b] != 0) {
                        double d = value(p, b) - mean;
                        ss += pages[p][b] * d * d;
                    }
                }
            }
        }
        double[] q = percentiles(pages, n, new double[] {5, 50, 95});
        // volume as TotalSegmentator: count (int64) times the float32 voxel volume, in float64
        double volumeMm3 = n * voxelMm3;
        return new StructureStatistics(label, name, n, volumeMm3, mean, Math.sqrt(ss / n),
                q[1], q[0], q[2], border);
    }

    private static int value(int page, int bin) {
        return (page << PAGE_BITS) + bin - 32768;
    }

    /**
     * numpy.percentile(values, q) with its default method 'linear': position (n - 1) * q / 100
     * between the sorted values a[lo] and a[lo + 1], interpolated with numpy's _lerp (which
     * computes b - (b - a) * (1 - t) when t >= 0.5). For q = 50 this equals numpy.median.
     */
    static double[] percentiles(int[][] pages, long n, double[] qs) {
        double[] out = new double[qs.length];
        long[] ranks = new long[2 * qs.length];
        double[] gamma = new double[qs.length];
        for (int k = 0; k < qs.length; k++) {
            double pos = (n - 1) * (qs[k] / 100.0);
            long lo = (long) Math.floor(pos);
            gamma[k] = pos - lo;
            ranks[2 * k] = lo;
            ranks[2 * k + 1] = Math.min(lo + 1, n - 1);
        }
        double[] at = valuesAtRanks(pages, ranks);
        for (int k = 0; k < qs.length; k++) {
            double a = at[2 * k];
            double b = at[2 * k + 1];
            double t = gamma[k];
            double diff = b - a;
            out[k] = t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
        }
        return out;
    }

    /** Sorted-order values at the given ranks (0-based, any order), in one sweep over the histogram. */
    private static double[] valuesAtRanks(int[][] pages, long[] ranks) {
        Integer[] order = new Integer[ranks.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Long.compare(ranks[i], ranks[j]));
        double[] out = new double[ranks.length];
        int next = 0;
        long seen = 0; // values with rank < seen have been passed
        for (int p = 0; p < PAGE && next < order.length; p++) {
            if (pages[p] == null) {
                continue;
            }
            for (int b = 0; b < PAGE && next < order.length; b++) {
                seen += pages[p][b];
                while (next < order.length && ranks[order[next]] < seen) {
                    out[order[next++]] = value(p, b);
                }
            }
        }
        return out;
    }
}
