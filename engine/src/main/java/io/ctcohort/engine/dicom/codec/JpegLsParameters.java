package io.ctcohort.engine.dicom.codec;

import java.io.IOException;

/**
 * The coding parameters of one JPEG-LS scan (T.87 Annex A.2 and C.2.4.1), resolved once: the
 * preset values of an LSE segment where given (0 means default), defaults otherwise.
 *
 * @param maxVal  largest sample value (MAXVAL)
 * @param near    NEAR: 0 lossless, > 0 near-lossless
 * @param t1      gradient threshold T1
 * @param t2      gradient threshold T2
 * @param t3      gradient threshold T3
 * @param reset   RESET: when context counters are halved
 * @param range   RANGE: number of quantized error values
 * @param qbpp    bits of a quantized error value
 * @param limit   LIMIT: the longest Golomb code
 */
record JpegLsParameters(int maxVal, int near, int t1, int t2, int t3, int reset, int range, int qbpp, int limit) {
    private static final String CODEC = "JPEG-LS";

    /** Resolves presets (each 0 = default) against the stream's precision and NEAR, refusing invalid ones as T.87 Table C.1 does. */
    static JpegLsParameters resolve(int precision, int near, int presetMaxVal, int presetT1, int presetT2,
                                    int presetT3, int presetReset) throws IOException {
        if (precision < 2 || precision > 16) {
            throw new IOException(CODEC + " sample precision " + precision + " is outside 2..16");
        }
        int maxVal = presetMaxVal != 0 ? presetMaxVal : (1 << precision) - 1;
        if (maxVal < 1 || maxVal > (1 << precision) - 1) {
            throw new IOException(CODEC + " MAXVAL " + maxVal + " does not fit " + precision + "-bit samples");
        }
        if (near < 0 || near > Math.min(255, maxVal / 2)) {
            throw new IOException(CODEC + " NEAR " + near + " is invalid for MAXVAL " + maxVal);
        }
        int[] d = defaults(maxVal, near);
        int t1 = presetT1 != 0 ? presetT1 : d[0];
        int t2 = presetT2 != 0 ? presetT2 : d[1];
        int t3 = presetT3 != 0 ? presetT3 : d[2];
        int reset = presetReset != 0 ? presetReset : 64;
        if (t1 < near + 1 || t1 > maxVal || t2 < t1 || t2 > maxVal || t3 < t2 || t3 > maxVal
                || reset < 3 || reset > Math.max(255, maxVal)) {
            throw new IOException(CODEC + " preset parameters T1=" + t1 + " T2=" + t2 + " T3=" + t3 + " RESET="
                    + reset + " are invalid for MAXVAL " + maxVal + " and NEAR " + near);
        }
        int range = (maxVal + 2 * near) / (2 * near + 1) + 1;
        int qbpp = 32 - Integer.numberOfLeadingZeros(range - 1);
        int bpp = Math.max(2, 32 - Integer.numberOfLeadingZeros(maxVal));
        int limit = 2 * (bpp + Math.max(8, bpp));
        return new JpegLsParameters(maxVal, near, t1, t2, t3, reset, range, qbpp, limit);
    }

    /** Default thresholds, C.2.4.1.1.1 (BASIC_T1..3 = 3, 7, 21 scaled to MAXVAL and NEAR). */
    private static int[] defaults(int maxVal, int near) {
        int t1;
        int t2;
        int t3;
        if (maxVal >= 128) {
            int factor = (Math.min(maxVal, 4095) + 128) / 256;
            t1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, maxVal);
            t2 = clamp(factor * (7 - 3) + 3 + 5 * near, t1, maxVal);
            t3 = clamp(factor * (21 - 4) + 4 + 7 * near, t2, maxVal);
        } else {
            int factor = 256 / (maxVal + 1);
            t1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1, maxVal);
            t2 = clamp(Math.max(3, 7 / factor + 5 * near), t1, maxVal);
            t3 = clamp(Math.max(4, 21 / factor + 7 * near), t2, maxVal);
        }
        return new int[] {t1, t2, t3};
    }

    /** T.87 Figure C.3: a value outside [low, maxVal] becomes low. */
    private static int clamp(int value, int low, int maxVal) {
        return value > maxVal || value < low ? low : value;
    }
}
