package io.ctcohort.analytics.calibration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.stats.OlsAgeFit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Calibrated age effects on a known distortion. A cohort of phantom-like abdomens (48 x 48 x 40
 * voxels of 2 mm, fat around three soft-tissue organs and two bones, each sized and attenuated by
 * age, in-plane blur for partial volume, voxel noise) is measured twice: on its true label maps, and
 * on a "model" segmentation that is the truth with the soft-tissue organs eroded by one voxel and the
 * bones dilated by one voxel (6-neighbourhood, into fat only). The slopes fitted on the distorted
 * masks are biased (the eroded liver shrinks to about 0.7 ml per true ml, the dilated bones' mean HU
 * is diluted by fat); calibrated with the first 25 exams as validation exams (distorted against true),
 * by the default conditional model (distorted on true and age), their intervals must cover the slopes
 * fitted on the true masks for at least 90 % of structure x metric, and the raw intervals for far fewer.
 */
class KnownDistortionTest {
    static final int N = 120, N_VALIDATION = 25;
    static final int NX = 48, NY = 48, NZ = 40;
    static final double VOXEL_ML = 8.0 / 1000; // 2 mm isotropic
    static final short FAT_HU = -90;

    /** A structure: label, name, bone (dilated) or soft tissue (eroded), centre and semi-axes in voxels. */
    record Organ(int label, String name, boolean bone, double cx, double cy, double cz, double ax, double ay, double az,
                 double volumePerYear, double hu, double huPerYear, double huSd) {
    }

    static final Organ[] ORGANS = {
        new Organ(1, "liver", false, 16, 18, 20, 8, 7, 7, -0.003, 60, -0.4, 4),
        new Organ(2, "spleen", false, 34, 14, 20, 5, 4, 6, -0.002, 50, 0, 5),
        new Organ(3, "kidney", false, 35, 31, 14, 3.6, 3.6, 5, -0.004, 35, -0.3, 4),
        new Organ(4, "vertebra", true, 23, 39, 20, 4, 3.5, 9, -0.001, 350, -3.0, 15),
        new Organ(5, "hip", true, 10, 37, 24, 4, 4, 6, 0, 300, -2.5, 15),
    };

    /** One exam: its age, and per organ the metrics on the true and on the distorted masks. */
    record Exam(double age, double[] volTrue, double[] huTrue, double[] volModel, double[] huModel) {
    }

    static Exam exam(SplittableRandom rng) {
        double age = 20 + 70 * rng.nextDouble();
        byte[] labels = new byte[NX * NY * NZ];
        float[] hu = new float[labels.length];
        Arrays.fill(hu, FAT_HU);
        for (Organ o : ORGANS) {
            double s = 1 + o.volumePerYear() * (age - 55) + 0.015 * rng.nextGaussian();
            float h = (float) (o.hu() + o.huPerYear() * (age - 55) + o.huSd() * rng.nextGaussian());
            for (int z = 0; z < NZ; z++) {
                for (int y = 0; y < NY; y++) {
                    for (int x = 0; x < NX; x++) {
                        double dx = (x - o.cx()) / (o.ax() * s);
                        double dy = (y - o.cy()) / (o.ay() * s);
                        double dz = (z - o.cz()) / (o.az() * s);
                        if (dx * dx + dy * dy + dz * dz <= 1) {
                            labels[x + NX * (y + NY * z)] = (byte) o.label();
                            hu[x + NX * (y + NY * z)] = h;
                        }
                    }
                }
            }
        }
        short[] ct = render(hu, rng);
        byte[] model = distort(labels);
        int k = ORGANS.length;
        double[][] t = measure(ct, labels, k);
        double[][] m = measure(ct, model, k);
        return new Exam(age, t[0], t[1], m[0], m[1]);
    }

    /** Noise (SD 60 before the blur), then the in-plane [1 2 1]/4 blur along x and y, cast to int16. */
    static short[] render(float[] hu, SplittableRandom rng) {
        float[] a = hu.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] += (float) (60 * rng.nextGaussian());
        }
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            int x = i % NX;
            b[i] = x == 0 || x == NX - 1 ? a[i] : 0.25f * (a[i - 1] + 2 * a[i] + a[i + 1]);
        }
        short[] out = new short[a.length];
        int plane = NX * NY;
        for (int i = 0; i < a.length; i++) {
            int y = (i % plane) / NX;
            float v = y == 0 || y == NY - 1 ? b[i] : 0.25f * (b[i - NX] + 2 * b[i] + b[i + NX]);
            out[i] = (short) Math.round(v);
        }
        return out;
    }

    /** Soft tissue eroded by one voxel (kept only where all 6 neighbours share its label), bones dilated into fat. */
    static byte[] distort(byte[] truth) {
        byte[] out = truth.clone();
        int[] step = {1, -1, NX, -NX, NX * NY, -NX * NY};
        for (int z = 1; z < NZ - 1; z++) {
            for (int y = 1; y < NY - 1; y++) {
                for (int x = 1; x < NX - 1; x++) {
                    int i = x + NX * (y + NY * z);
                    int l = truth[i];
                    for (int s : step) {
                        int nb = truth[i + s];
                        if (l != 0 && !ORGANS[l - 1].bone() && nb != l) {
                            out[i] = 0; // eroded
                        }
                        if (l == 0 && nb != 0 && ORGANS[nb - 1].bone()) {
                            out[i] = (byte) nb; // dilated
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Per label 1..k: volume in ml and mean HU (TotalSegmentator's definitions). */
    static double[][] measure(short[] ct, byte[] labels, int k) {
        long[] count = new long[k + 1];
        long[] sum = new long[k + 1];
        for (int i = 0; i < ct.length; i++) {
            count[labels[i]]++;
            sum[labels[i]] += ct[i];
        }
        double[][] out = new double[2][k];
        for (int l = 1; l <= k; l++) {
            out[0][l - 1] = count[l] * VOXEL_ML;
            out[1][l - 1] = (double) sum[l] / count[l];
        }
        return out;
    }

    @Test
    void calibratedIntervalsCoverTheTrueMaskSlopesAndRawOnesDoNot() {
        SplittableRandom rng = new SplittableRandom(23);
        List<Exam> exams = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            exams.add(exam(rng));
        }
        double[][] age = exams.stream().map(e -> new double[] {e.age()}).toArray(double[][]::new);
        RegressionCalibration calibration = new RegressionCalibration(CalibrationOptions.defaults());
        int cells = 0;
        int calibratedCovers = 0;
        int rawCovers = 0;
        StringBuilder table = new StringBuilder();
        for (int o = 0; o < ORGANS.length; o++) {
            for (int metric = 0; metric < 2; metric++) {
                double[] truth = new double[N];
                double[] model = new double[N];
                for (int i = 0; i < N; i++) {
                    Exam e = exams.get(i);
                    truth[i] = metric == 0 ? e.volTrue()[o] : e.huTrue()[o];
                    model[i] = metric == 0 ? e.volModel()[o] : e.huModel()[o];
                }
                double target = OlsAgeFit.fit(truth, age).betaAge();
                OlsAgeFit.Result raw = OlsAgeFit.fit(model, age);
                // the default, conditional model: the model's value on the true one and age
                CalibrationFit fit = CalibrationFit.fit(Arrays.copyOf(model, N_VALIDATION),
                        Arrays.copyOf(truth, N_VALIDATION), Arrays.copyOf(age, N_VALIDATION));
                CalibratedEffect c = calibration.calibrate(raw, N - 2, fit);
                boolean rawOk = raw.ciLow() <= target && target <= raw.ciHigh();
                cells++;
                calibratedCovers += c.calibrated() && c.covers(target) ? 1 : 0;
                rawCovers += rawOk ? 1 : 0;
                table.append(String.format(Locale.ROOT, "%n%-9s %-9s truth %+.4f raw %+.4f [%+.4f, %+.4f] %s"
                                + " b=%.3f calibrated %+.4f [%+.4f, %+.4f] %s",
                        ORGANS[o].name(), metric == 0 ? "volume_ml" : "hu_mean", target, raw.betaAge(), raw.ciLow(),
                        raw.ciHigh(), rawOk ? "covers" : "misses", fit.slope(), c.beta(), c.ciLow(), c.ciHigh(),
                        c.calibrated() && c.covers(target) ? "covers" : "misses " + c.reason()));
            }
        }
        String report = "calibrated cover " + calibratedCovers + "/" + cells + ", raw " + rawCovers + "/" + cells + table;
        assertTrue(calibratedCovers >= 0.9 * cells, report);
        assertTrue(rawCovers <= calibratedCovers - 4 && rawCovers <= 0.6 * cells, report);
    }
}
