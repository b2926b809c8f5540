package io.ctcohort.engine.phantom;

import static io.ctcohort.engine.phantom.PhantomStructures.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one patient's anatomy. Sizes scale with a body factor (men larger), every organ gets its
 * own random size, shape and contrast, and the planted age effects follow the directions of the
 * TotalSegmentator aging study: the aorta widens with age; kidneys, pancreas and iliopsoas shrink;
 * vertebrae, hips and autochthon lose attenuation.
 */
final class AnatomySampler {
    /** Planted effects per year of age, relative to age 50 (volume factors) or age 18 (HU). */
    static final double AORTA_RADIUS_PER_YEAR = 0.0035;
    static final double KIDNEY_VOLUME_PER_YEAR = -0.0045;
    static final double PANCREAS_VOLUME_PER_YEAR = -0.006;
    static final double ILIOPSOAS_VOLUME_PER_YEAR = -0.006;
    static final double VERTEBRA_CANCELLOUS_HU_PER_YEAR = -2.1;
    static final double HIP_CANCELLOUS_HU_PER_YEAR = -1.8;
    static final double CORTICAL_HU_PER_YEAR = -2.0;
    static final double AUTOCHTHON_HU_PER_YEAR = -0.35;

    private static final float FAT_HU = -100f;

    private final SplittableRandom r;

    AnatomySampler(SplittableRandom rng) {
        this.r = rng;
    }

    Anatomy sample(Demographics d) {
        boolean male = d.male();
        double age = d.age();
        double k = Math.exp(gauss(0, 0.04)) * (male ? 1.04 : 0.96);
        float fatHu = (float) gauss(-100, 8);
        float muscleHu = (float) gauss(50, 5);

        // Body outline: subcutaneous fat thicker in front than behind.
        double tf = clamp(gauss(male ? 20 : 26, 7), 8, 40);
        double innerA = 125 * k;
        double innerB = 88 * k;
        double innerCy = -0.25 * tf;
        var body = new Anatomy.BodyOutline(innerA + tf, innerB + 0.75 * tf, innerA, innerB, innerCy,
                uniform(8, 14), fatHu, muscleHu, (float) uniform(-60, -20));
        double yp = innerCy - innerB; // posterior edge of the muscle compartment

        // Spine: L3 centred at z = 0, one pitch per level.
        double p = 32 * k * Math.exp(gauss(0, 0.03));
        double disc = uniform(8, 10);
        double h = p - disc;
        double autoAx = 20 * k * (male ? 1.08 : 1.0) * Math.exp(gauss(0, 0.06));
        double autoAy = 17 * k * (male ? 1.08 : 1.0) * Math.exp(gauss(0, 0.06));
        double autoY = yp + 3 + autoAy;
        double apv3 = (14 + 0.6 * 3) * k;
        double yv = yp + 3 + 2 * autoAy + 18 + apv3;
        double z1 = 2 * p;
        double z2 = p;
        double z4 = -p;
        double z5 = -2 * p;

        List<Part> parts = new ArrayList<>();

        // Bowel loops and gas, unlabeled, in the anterior cavity.
        for (int i = 0; i < 8; i++) {
            parts.add(new Part(Superellipsoid.ellipsoid(uniform(-80, 80) * k, uniform(10, 55) * k,
                    uniform(z5 - 30, z1 + 10), uniform(12, 28), uniform(10, 24), uniform(12, 30)),
                    0, (float) uniform(15, 45)));
        }
        for (int i = 0; i < 3; i++) {
            parts.add(new Part(Superellipsoid.ellipsoid(uniform(-70, 70) * k, uniform(20, 55) * k,
                    uniform(z5, z1), uniform(6, 14), uniform(6, 12), uniform(6, 14)), 0, (float) uniform(-900, -750)));
        }

        // Autochthon: paraspinal muscles along the whole trunk, in a thin fat sheath.
        float autoHu = (float) (gauss(52, 5) + AUTOCHTHON_HU_PER_YEAR * (age - 18));
        for (int s : new int[] {1, -1}) {
            double x = s * (autoAx + 7);
            int label = s > 0 ? AUTOCHTHON_RIGHT : AUTOCHTHON_LEFT;
            parts.add(new Part(ellipticTubeZ(x, autoY, autoAx + 2, autoAy + 2), 0, fatHu));
            parts.add(new Part(ellipticTubeZ(x, autoY, autoAx, autoAy), label, autoHu));
        }

        // Iliopsoas: from L1 down and out to the front of the hip joint.
        double psoasScale = Math.sqrt(volumeFactor(male ? 1.35 : 1.0, ILIOPSOAS_VOLUME_PER_YEAR, age, 0.10));
        float psoasHu = (float) (muscleHu + gauss(0, 3));
        for (int s : new int[] {1, -1}) {
            double[] z = {z5 - 100 * k, z5 - 40 * k, z4, z2, z1 + 5};
            double[] x = {s * 70 * k, s * 55 * k, s * 40 * k, s * 30 * k, s * 22 * k};
            double[] y = {yv + 68 * k, yv + 25 * k, yv + 3, yv - 3, yv - 5};
            double[] rad = {16, 20, 18, 13, 7};
            double[] sheath = new double[rad.length];
            for (int i = 0; i < rad.length; i++) {
                rad[i] *= k * psoasScale;
                sheath[i] = rad[i] + 2;
            }
            int label = s > 0 ? ILIOPSOAS_RIGHT : ILIOPSOAS_LEFT;
            parts.add(new Part(Tube.alongZ(z, x, y, sheath), 0, fatHu));
            parts.add(new Part(Tube.alongZ(z, x, y, rad), label, psoasHu));
        }

        // Liver: right lobe and left lobe.
        double liverScale = Math.cbrt(volumeFactor(male ? 1.15 : 1.0, 0, age, 0.10));
        float liverHu = (float) clamp(gauss(95, 15), 55, 135);
        double lz = z1 + 35 * k;
        parts.add(new Part(new Union(List.of(
                new Superellipsoid(58 * k, gauss(0, 4), lz, 62 * k * liverScale, 62 * k * liverScale,
                        65 * k * liverScale, gauss(0, 0.15), uniform(0.2, 0.5), 2),
                new Superellipsoid(-15 * k, 30 * k, z1 + 55 * k, 50 * k * liverScale, 35 * k * liverScale,
                        38 * k * liverScale, -0.3 + gauss(0, 0.1), uniform(0.1, 0.4), 2))), LIVER, liverHu));

        // Spleen, posterolateral left.
        double spleenScale = Math.cbrt(volumeFactor(male ? 1.15 : 1.0, 0, age, 0.15));
        parts.add(new Part(new Superellipsoid(-72 * k, yv + 5 * k, z1 + 30 * k, 22 * k * spleenScale,
                48 * k * spleenScale, 45 * k * spleenScale, -0.6 + gauss(0, 0.15), uniform(0, 0.3), 2),
                SPLEEN, (float) (liverHu + gauss(15, 8))));

        // Kidneys in perirenal fat; the right one lower.
        float kidneyHu = (float) clamp(gauss(170, 30), 110, 240);
        for (int s : new int[] {1, -1}) {
            double ks = Math.cbrt(volumeFactor(male ? 1.15 : 1.0, KIDNEY_VOLUME_PER_YEAR, age, 0.10));
            double cz = s > 0 ? z2 - 8 * k + gauss(0, 6) : z2 + 5 * k + gauss(0, 6);
            var kidney = new Superellipsoid(s * 62 * k, yv - 2, cz, 24 * k * ks, 19 * k * ks, 50 * k * ks,
                    s * (0.35 + gauss(0, 0.1)), uniform(0, 0.2), 2);
            parts.add(new Part(new Superellipsoid(kidney.cx(), kidney.cy(), kidney.cz(), kidney.ax() + 5,
                    kidney.ay() + 5, kidney.az() + 5, kidney.angle(), kidney.boxiness(), 2), 0, fatHu));
            parts.add(new Part(kidney, s > 0 ? KIDNEY_RIGHT : KIDNEY_LEFT, (float) (kidneyHu + gauss(0, 5))));
        }

        // Pancreas: head by the duodenum (right), tail at the splenic hilum (left, higher).
        double ps = Math.sqrt(volumeFactor(male ? 1.12 : 1.0, PANCREAS_VOLUME_PER_YEAR, age, 0.12));
        double[] px = {-70 * k, -40 * k, -10 * k, 15 * k, 38 * k};
        double[] py = {yv + 22 * k, yv + 38 * k, yv + 50 * k, yv + 52 * k, yv + 48 * k};
        double[] pz = {z1 + 15, z1 + 5, z1 - 5, z2 + 5, z2 - 5};
        double[] pry = {10, 10.5, 11, 12.5, 16};
        double[] prz = {11, 12.5, 14, 15, 20};
        for (int i = 0; i < px.length; i++) {
            py[i] += gauss(0, 3);
            pz[i] += gauss(0, 4);
            pry[i] *= k * ps;
            prz[i] *= k * ps;
        }
        parts.add(new Part(new Tube(true, px, py, pz, pry, prz), PANCREAS, (float) clamp(gauss(90, 12), 50, 130)));

        // Inferior vena cava (unlabeled) and aorta with its iliac branches (unlabeled).
        double top = 400;
        parts.add(new Part(new Tube(false, new double[] {z5, top}, new double[] {18 * k, 20 * k},
                new double[] {yv + apv3 + 11, yv + apv3 + 12}, new double[] {13, 13}, new double[] {9, 9}),
                0, (float) uniform(90, 150)));
        double ar = 10.5 * (1 + AORTA_RADIUS_PER_YEAR * (age - 50)) * (male ? 1.07 : 1.0) * Math.exp(gauss(0, 0.06));
        float aortaHu = (float) uniform(150, 330);
        double ay = yv + apv3 + ar + 2;
        double[] az = {z4, z2, z1 + 40, top};
        double[] ax = {-8 * k, -12 * k + gauss(0, 3), -15 * k + gauss(0, 3), -15 * k};
        double[] ayk = {ay, ay + gauss(0, 2), ay, ay};
        double[] ark = {0.9 * ar, 0.95 * ar, ar, ar};
        parts.add(new Part(Tube.alongZ(az, ax, ayk, ark), AORTA, aortaHu));
        for (int s : new int[] {1, -1}) {
            parts.add(new Part(Tube.alongZ(new double[] {z5 - 60 * k, z4 - 0.01}, new double[] {s * 50 * k, ax[0]},
                    new double[] {yv + 45 * k, ay}, new double[] {0.6 * ar, 0.6 * ar}), 0, aortaHu));
        }

        // Bone attenuation falls with age (faster in women after 50).
        double femaleLoss = male ? 0 : 1.2 * Math.max(0, age - 50);
        float cortical = (float) (gauss(900, 80) + CORTICAL_HU_PER_YEAR * (age - 18));
        float vertCore = (float) Math.max(40, gauss(265, 25) + VERTEBRA_CANCELLOUS_HU_PER_YEAR * (age - 18) - femaleLoss);
        float hipCore = (float) Math.max(40, gauss(230, 25) + HIP_CANCELLOUS_HU_PER_YEAR * (age - 18) - femaleLoss);
        double shell = uniform(1.5, 2.5);

        // Discs and sacrum (unlabeled).
        float discHu = (float) uniform(70, 100);
        for (int level = 0; level <= 5; level++) {
            double zc = (3 - level) * p - p / 2;
            double axv = (19 + 1.2 * Math.max(level, 1)) * k;
            double apv = (14 + 0.6 * Math.max(level, 1)) * k;
            parts.add(new Part(new Superellipsoid(0, yv, zc, axv, apv, disc / 2 + 1, 0, 0.3, 4), 0, discHu));
        }
        double sacrumTop = z5 - h / 2 - disc;
        var sacrum = Superellipsoid.ellipsoid(0, yv - 5, sacrumTop - 42 * k, 38 * k, 22 * k, 42 * k);
        parts.add(new Part(sacrum, 0, cortical));
        parts.add(new Part(sacrum.shrunk(shell), 0, vertCore));

        // Lumbar vertebrae: body (cortical shell, cancellous core), pedicles, lamina, processes.
        for (int level = 1; level <= 5; level++) {
            double zc = (3 - level) * p + gauss(0, 0.5);
            double axv = (19 + 1.2 * level) * k;
            double apv = (14 + 0.6 * level) * k;
            int label = vertebra(level);
            var vb = new Superellipsoid(0, yv, zc, axv, apv, h / 2, 0, 0.3, 4);
            List<Shape> arch = new ArrayList<>();
            for (int s : new int[] {1, -1}) {
                arch.add(Superellipsoid.ellipsoid(s * 0.55 * axv, yv - apv - 5, zc, 5, 8, 0.35 * h));
                arch.add(Superellipsoid.ellipsoid(s * (axv + 12), yv - apv - 6, zc, 14, 5, 6));
            }
            double lamY = yv - apv - 16;
            arch.add(Superellipsoid.ellipsoid(0, lamY, zc, 0.75 * axv, 6, 0.4 * h));
            double tip = yp + 6;
            arch.add(Superellipsoid.ellipsoid(0, (lamY + tip) / 2, zc - 0.2 * h, 4.5, (lamY - tip) / 2 + 3, 0.35 * h));
            parts.add(new Part(vb, label, cortical));
            parts.add(new Part(vb.shrunk(shell), label, vertCore));
            parts.add(new Part(new Union(arch), label, 0.5f * (cortical + vertCore)));
        }
        // Spinal canal (CSF) carves the arch.
        parts.add(new Part(Tube.alongZ(new double[] {-400, 400}, new double[] {0, 0},
                new double[] {yv - apv3 - 8, yv - apv3 - 8}, new double[] {7.5, 7.5}), 0, 15f));

        // Hips: iliac wing (thick tilted plate) and acetabular body.
        for (int s : new int[] {1, -1}) {
            var wing = new Superellipsoid(s * 72 * k, yv + 25 * k, z5 - 15 * k, 11 * k, 50 * k, 42 * k,
                    -s * Math.toRadians(47 + gauss(0, 4)), 0.2, 2);
            var acetabulum = Superellipsoid.ellipsoid(s * 88 * k, yv + 45 * k, z5 - 80 * k, 26 * k, 30 * k, 28 * k);
            int label = s > 0 ? HIP_RIGHT : HIP_LEFT;
            parts.add(new Part(new Union(List.of(wing, acetabulum)), label, cortical));
            parts.add(new Part(new Union(List.of(wing.shrunk(shell), acetabulum.shrunk(shell))), label, hipCore));
        }

        double liverTop = parts.stream().filter(pt -> pt.label() == LIVER).mapToDouble(pt -> pt.shape().bounds()[5]).max().orElseThrow();
        double hipBottom = parts.stream().filter(pt -> pt.label() == HIP_LEFT || pt.label() == HIP_RIGHT)
                .mapToDouble(pt -> pt.shape().bounds()[4]).min().orElseThrow();
        return new Anatomy(body, parts, liverTop, hipBottom);
    }

    private static Tube ellipticTubeZ(double x, double y, double rx, double ry) {
        return new Tube(false, new double[] {-400, 400}, new double[] {x, x}, new double[] {y, y},
                new double[] {rx, rx}, new double[] {ry, ry});
    }

    /** Volume multiplier: sex factor x linear age effect (centred at 50) x log-normal individual spread. */
    private double volumeFactor(double sexFactor, double perYear, double age, double sd) {
        return sexFactor * Math.max(0.3, 1 + perYear * (age - 50)) * Math.exp(gauss(0, sd));
    }

    private double gauss(double mean, double sd) {
        return mean + sd * r.nextGaussian();
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
