package io.ctcohort.engine.infer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expected values were computed once with nnU-Net v2's own functions
 * (compute_steps_for_sliding_window, and compute_gaussian in float64 before its float16 cast:
 * scipy.ndimage.gaussian_filter of an impulse at patch // 2, sigma = patch / 8, / max * 10),
 * numpy 2.4.6, scipy 1.17.1.
 */
class SlidingWindowTest {

    @Test
    void tilePositionsMatchNnUnet() {
        assertArrayEquals(new int[] {0, 72, 145}, SlidingWindow.positions(273, 128, 0.8));
        assertArrayEquals(new int[] {0, 94, 189, 283, 378, 472}, SlidingWindow.positions(600, 128, 0.8));
        assertArrayEquals(new int[] {0, 9}, SlidingWindow.positions(137, 128, 0.5));
        assertArrayEquals(new int[] {0, 57, 115, 172}, SlidingWindow.positions(300, 128, 0.5));
        assertArrayEquals(new int[] {0, 5, 10, 15, 20, 25}, SlidingWindow.positions(37, 12, 0.5));
        assertArrayEquals(new int[] {0}, SlidingWindow.positions(16, 16, 0.5));
        assertArrayEquals(new int[] {0, 1}, SlidingWindow.positions(129, 128, 0.5));
        assertArrayEquals(new int[] {0, 97, 194, 291, 388, 484, 581, 678, 775, 872},
                SlidingWindow.positions(1000, 128, 0.8));
        // 17/6*3 = 8.5 rounds half to even (np.round), not up
        assertArrayEquals(new int[] {0, 3, 6, 8, 11, 14, 17}, SlidingWindow.positions(23, 6, 0.5));
        int[] p = SlidingWindow.positions(100, 10, 0.5);
        assertEquals(19, p.length);
        assertEquals(90, p[18]);
    }

    @Test
    void gaussianMatchesNnUnet() {
        float[] g = SlidingWindow.gaussian(16, 12, 8);
        assertClose(10.0, g[idx(8, 6, 4, 16, 12)]);
        assertClose(3.775134544279098e-10, g[idx(0, 0, 0, 16, 12)]);
        assertClose(9.394507297137212e-07, g[idx(15, 11, 7, 16, 12)]);
        assertClose(0.0006605650802868484, g[idx(3, 9, 1, 16, 12)]);
        assertClose(0.003354626279025119, g[idx(8, 0, 4, 16, 12)]);

        float[] big = SlidingWindow.gaussian(128, 128, 128);
        assertClose(10.0, big[idx(64, 64, 64, 128, 128)]);
        assertClose(3.775134544279098e-10, big[idx(0, 0, 0, 128, 128)]);
        assertClose(7.945268926480845e-10, big[idx(127, 127, 127, 128, 128)]);
        assertClose(0.0024929465691874435, big[idx(10, 70, 100, 128, 128)]);

        float[] odd = SlidingWindow.gaussian(40, 3, 5);
        assertClose(10.0, odd[idx(20, 1, 2, 40, 3)]);
        assertClose(5.726618336717729e-07, odd[idx(0, 0, 0, 40, 3)]);
        assertClose(1.2492459076643165e-06, odd[idx(39, 2, 4, 40, 3)]);
        assertClose(0.0008823070241724029, odd[idx(5, 0, 3, 40, 3)]);
    }

    @Test
    void gaussianHasNoZerosAndPeaksAtTen() {
        // With float64 weights the truncation radius int(4 sigma + 0.5) >= patch // 2, so nothing is
        // truncated to zero; nnU-Net's zero floor matters for its float16 map. Either way: no zero weight.
        float[] g = SlidingWindow.gaussian(3, 1, 2);
        float max = 0;
        for (float v : g) {
            assertEquals(true, v > 0);
            max = Math.max(max, v);
        }
        assertEquals(10f, max);
        assertClose(0.285655008, g[idx(0, 0, 1, 3, 1)]);
        assertClose(0.00335462628, g[idx(1, 0, 0, 3, 1)]);
        assertClose(9.58265796e-05, g[idx(0, 0, 0, 3, 1)]);
    }

    private static int idx(int x, int y, int z, int px, int py) {
        return x + px * (y + py * z);
    }

    private static void assertClose(double expected, float actual) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-6, "expected " + expected + " got " + actual);
    }
}
