package io.ctcohort.engine.infer;

/**
 * nnU-Net v2's sliding-window formulas (nnunetv2/inference/sliding_window_prediction.py),
 * reproduced exactly so that tiles and weights match a Python prediction.
 */
public final class SlidingWindow {
    /** nnU-Net's Gaussian peak ({@code value_scaling_factor=10}). */
    public static final double GAUSSIAN_PEAK = 10.0;
    /** scipy.ndimage.gaussian_filter's default kernel extent, in sigmas. */
    static final double TRUNCATE = 4.0;

    private SlidingWindow() {
    }

    /**
     * Tile start positions along one axis ({@code compute_steps_for_sliding_window}):
     * {@code n = ceil((size - patch) / (patch * step)) + 1}, position i = {@code rint(i * ((size - patch) / (n - 1)))},
     * or the single position 0 when n == 1. Requires size >= patch (pad first).
     */
    public static int[] positions(int size, int patch, double step) {
        if (size < patch) {
            throw new IllegalArgumentException("image size " + size + " smaller than patch " + patch + "; pad first");
        }
        double target = patch * step;
        int n = (int) Math.ceil((size - patch) / target) + 1;
        int[] pos = new int[n];
        if (n > 1) {
            double actual = (double) (size - patch) / (n - 1);
            for (int i = 0; i < n; i++) {
                pos[i] = (int) Math.rint(actual * i); // np.round: half to even, like rint
            }
        }
        return pos;
    }

    /**
     * The Gaussian importance map over a patch (x fastest, then y, then z), as nnU-Net's
     * {@code compute_gaussian(patch, sigma_scale=1/8, value_scaling_factor=10)}: a unit impulse at
     * {@code patch // 2} blurred by scipy's gaussian_filter (sigma = patch / 8, kernel truncated at
     * 4 sigma, so it is separable: a product of three normalized 1-D kernels), divided by its maximum
     * and multiplied by 10; zeros are then raised to the smallest non-zero value. nnU-Net stores the
     * map as float16; we keep float32 (rounding only).
     */
    public static float[] gaussian(int px, int py, int pz) {
        double[] gx = kernel(px);
        double[] gy = kernel(py);
        double[] gz = kernel(pz);
        double max = gx[px / 2] * gy[py / 2] * gz[pz / 2];
        float[] map = new float[px * py * pz];
        float minNonZero = Float.MAX_VALUE;
        int i = 0;
        for (int z = 0; z < pz; z++) {
            for (int y = 0; y < py; y++) {
                for (int x = 0; x < px; x++, i++) {
                    float v = (float) (gx[x] * gy[y] * gz[z] / max * GAUSSIAN_PEAK);
                    map[i] = v;
                    if (v != 0 && v < minNonZero) {
                        minNonZero = v;
                    }
                }
            }
        }
        for (int j = 0; j < map.length; j++) {
            if (map[j] == 0) {
                map[j] = minNonZero;
            }
        }
        return map;
    }

    /** The impulse response along one axis: scipy's normalized 1-D Gaussian kernel centred at patch // 2. */
    static double[] kernel(int patch) {
        double sigma = patch / 8.0;
        int radius = (int) (TRUNCATE * sigma + 0.5);
        int centre = patch / 2;
        double sum = 0;
        for (int t = -radius; t <= radius; t++) {
            sum += Math.exp(-0.5 * t * t / (sigma * sigma));
        }
        double[] k = new double[patch];
        for (int x = 0; x < patch; x++) {
            int t = x - centre;
            k[x] = Math.abs(t) <= radius ? Math.exp(-0.5 * t * t / (sigma * sigma)) / sum : 0;
        }
        return k;
    }
}
