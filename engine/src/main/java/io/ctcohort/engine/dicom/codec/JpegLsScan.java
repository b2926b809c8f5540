package io.ctcohort.engine.dicom.codec;

import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes the samples of one single-component JPEG-LS scan (T.87 Annex A and F): context
 * modelling with gradient quantization, median edge prediction with bias correction, limited
 * Golomb codes, run mode with run interruption samples, near-lossless reconstruction, and restart
 * intervals (counted in lines; contexts and the previous line are reset after each RSTn).
 */
final class JpegLsScan {
    /** Run lengths per RUNindex: a run segment covers 2^J[RUNindex] samples (A.7.1.1). */
    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                    4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int REGULAR_CONTEXTS = 365;
    private static final int MAX_K = 16;

    private final JpegLsParameters p;
    private final JpegLsBitReader in;
    private final int width;
    private final int height;
    private final int restartInterval;
    private final int step; // 2 * NEAR + 1

    // Contexts 0..364 are regular, 365 and 366 run interruption (type 0 and 1). A may pass 2^31.
    private final long[] a = new long[REGULAR_CONTEXTS + 2];
    private final int[] b = new int[REGULAR_CONTEXTS];
    private final int[] c = new int[REGULAR_CONTEXTS];
    private final int[] n = new int[REGULAR_CONTEXTS + 2];
    private final int[] nn = new int[2];
    private int runIndex;

    JpegLsScan(JpegLsParameters p, JpegLsBitReader in, int width, int height, int restartInterval) {
        this.p = p;
        this.in = in;
        this.width = width;
        this.height = height;
        this.restartInterval = restartInterval;
        this.step = 2 * p.near() + 1;
    }

    void decode(short[] out, int offset) throws IOException {
        // Lines carry one extra sample on each side: index x + 1 holds column x.
        int[] previous = new int[width + 2];
        int[] current = new int[width + 2];
        resetContexts();
        for (int y = 0; y < height; y++) {
            if (restartInterval > 0 && y > 0 && y % restartInterval == 0) {
                in.restart((y / restartInterval - 1) % 8);
                resetContexts();
                Arrays.fill(previous, 0);
            }
            decodeLine(previous, current);
            int at = offset + y * width;
            for (int x = 0; x < width; x++) {
                out[at + x] = (short) current[x + 1];
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        in.checkNotTruncated();
    }

    /** A.2.1: every context starts from the same statistics, and again after a restart marker. */
    private void resetContexts() {
        Arrays.fill(a, Math.max(2, (p.range() + 32) / 64));
        Arrays.fill(b, 0);
        Arrays.fill(c, 0);
        Arrays.fill(n, 1);
        Arrays.fill(nn, 0);
        runIndex = 0;
    }

    /**
     * Edge samples (A.2.1): Ra of column 0 is Rb, Rc of column 0 is the Ra the previous line started
     * with (left in previous[0]), Rd of the last column is its Rb.
     */
    private void decodeLine(int[] previous, int[] current) throws IOException {
        current[0] = previous[1];
        previous[width + 1] = previous[width];
        int x = 1;
        while (x <= width) {
            int ra = current[x - 1];
            int rb = previous[x];
            int rc = previous[x - 1];
            int rd = previous[x + 1];
            int q = 81 * quantize(rd - rb) + 9 * quantize(rb - rc) + quantize(rc - ra);
            if (q == 0) {
                x += decodeRun(previous, current, x);
            } else {
                current[x] = decodeRegular(q, predict(ra, rb, rc));
                x++;
            }
        }
    }

    /** A.3.3: a gradient to one of nine regions. */
    private int quantize(int d) {
        if (d <= -p.t3()) {
            return -4;
        } else if (d <= -p.t2()) {
            return -3;
        } else if (d <= -p.t1()) {
            return -2;
        } else if (d < -p.near()) {
            return -1;
        } else if (d <= p.near()) {
            return 0;
        } else if (d < p.t1()) {
            return 1;
        } else if (d < p.t2()) {
            return 2;
        } else if (d < p.t3()) {
            return 3;
        }
        return 4;
    }

    /** A.4.1: the median edge detector. */
    private static int predict(int ra, int rb, int rc) {
        if (rc >= Math.max(ra, rb)) {
            return Math.min(ra, rb);
        }
        if (rc <= Math.min(ra, rb)) {
            return Math.max(ra, rb);
        }
        return ra + rb - rc;
    }

    /** Regular mode (A.4 to A.6): the context's sign folds q to 1..364. */
    private int decodeRegular(int q, int predicted) throws IOException {
        int sign = 1;
        if (q < 0) {
            sign = -1;
            q = -q;
        }
        int k = golombK(a[q], n[q]);
        int px = clampToRange(predicted + sign * c[q]);
        int mapped = readGolomb(k, p.limit());
        int error = (mapped & 1) == 0 ? mapped >>> 1 : -((mapped + 1) >>> 1);
        if (k == 0 && p.near() == 0 && 2 * b[q] + n[q] - 1 < 0) {
            error = ~error; // A.5.2: the other mapping when the context is biased negative
        }
        updateRegular(q, error);
        return reconstruct(px + sign * error * step);
    }

    /** A.6: statistics, then bias correction C. */
    private void updateRegular(int q, int error) {
        b[q] += error * step;
        a[q] += Math.abs(error);
        if (n[q] == p.reset()) {
            a[q] >>= 1;
            b[q] >>= 1;
            n[q] >>= 1;
        }
        n[q]++;
        if (b[q] + n[q] <= 0) {
            b[q] += n[q];
            if (b[q] <= -n[q]) {
                b[q] = -n[q] + 1;
            }
            if (c[q] > -128) {
                c[q]--;
            }
        } else if (b[q] > 0) {
            b[q] -= n[q];
            if (b[q] > 0) {
                b[q] = 0;
            }
            if (c[q] < 127) {
                c[q]++;
            }
        }
    }

    /**
     * Run mode (A.7): 1 bits extend the run by 2^J[RUNindex] samples of Ra; a 0 bit ends it, then
     * J[RUNindex] bits give the remainder and a run interruption sample follows, unless the run
     * reached the end of the line. Returns the samples written.
     */
    private int decodeRun(int[] previous, int[] current, int x) throws IOException {
        int ra = current[x - 1];
        int remaining = width - x + 1;
        int count = 0;
        while (in.readBit() == 1) {
            int segment = 1 << J[runIndex];
            int filled = Math.min(segment, remaining - count);
            count += filled;
            if (filled == segment && runIndex < 31) {
                runIndex++;
            }
            if (count == remaining) {
                break;
            }
        }
        if (count != remaining && J[runIndex] > 0) {
            count += in.readBits(J[runIndex]);
        }
        if (count > remaining) {
            throw in.corrupt("a run longer than its line");
        }
        Arrays.fill(current, x, x + count, ra);
        if (count == remaining) {
            return count;
        }
        int at = x + count;
        int rb = previous[at];
        if (Math.abs(ra - rb) <= p.near()) {
            current[at] = reconstruct(ra + decodeInterruption(1) * step);
        } else {
            int sign = rb < ra ? -1 : 1;
            current[at] = reconstruct(rb + sign * decodeInterruption(0) * step);
        }
        if (runIndex > 0) {
            runIndex--;
        }
        return count + 1;
    }

    /** A.7.2: the error of a run interruption sample, type 1 when Ra and Rb agree (within NEAR). */
    private int decodeInterruption(int type) throws IOException {
        int q = REGULAR_CONTEXTS + type;
        long temp = type == 1 ? a[q] + (n[q] >> 1) : a[q];
        int k = golombK(temp, n[q]);
        int mapped = readGolomb(k, p.limit() - J[runIndex] - 1);
        int t = mapped + type;
        int map = t & 1;
        int magnitude = (t + map) >> 1;
        int error = ((k != 0 || 2 * nn[type] >= n[q]) == (map != 0)) ? -magnitude : magnitude;
        if (error < 0) {
            nn[type]++;
        }
        a[q] += (mapped + 1 - type) >> 1;
        if (n[q] == p.reset()) {
            a[q] >>= 1;
            n[q] >>= 1;
            nn[type] >>= 1;
        }
        n[q]++;
        return error;
    }

    /** A.5.1: the smallest k with N * 2^k >= A. */
    private int golombK(long accumulated, int count) throws IOException {
        int k = 0;
        while (((long) count << k) < accumulated) {
            if (++k > MAX_K) {
                throw in.corrupt("a context whose Golomb parameter exceeds " + MAX_K);
            }
        }
        return k;
    }

    /** A.5.3: a limited-length Golomb code; the escape is LIMIT - qbpp - 1 zeros, a 1 and qbpp bits. */
    private int readGolomb(int k, int limit) throws IOException {
        int escape = limit - p.qbpp() - 1;
        int zeros = in.readUnary(escape);
        if (zeros < escape) {
            return k == 0 ? zeros : (zeros << k) + in.readBits(k);
        }
        return in.readBits(p.qbpp()) + 1;
    }

    /** A.4.5 / F.1: undo the modulo reduction, then clamp to 0..MAXVAL. */
    private int reconstruct(int value) {
        if (value < -p.near()) {
            value += p.range() * step;
        } else if (value > p.maxVal() + p.near()) {
            value -= p.range() * step;
        }
        return clampToRange(value);
    }

    private int clampToRange(int value) {
        return value < 0 ? 0 : Math.min(value, p.maxVal());
    }
}
