package io.ctcohort.engine.phantom;

import static io.ctcohort.engine.phantom.PhantomStructures.*;

import io.ctcohort.engine.measure.ContrastPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one patient's anatomy. Sizes scale with a body factor (men larger), every organ gets its
 * own random size, shape and contrast, and the planted age effects follow the directions of the
 * TotalSegmentator aging study: the aorta widens with age; kidneys, pancreas and iliopsoas shrink;
 * vertebrae, hips and autochthon lose attenuation.
 *
 * <p>Attenuation is native tissue plus the exam's contrast enhancement ({@link ContrastEnhancement}).
 * The opportunistic biomarkers get their own planted truth: a liver fat fraction that lowers the
 * native liver HU, calcified aortic wall plaques that grow in number and size with age, bones with a
 * one-voxel cortex around a trabecular core, and a visceral-fat abdominal cavity.
 *
 * <p>Two random streams: {@code rng} draws everything earlier versions drew, in the same order (so a
 * seed keeps its anatomy), {@code bio} what the biomarkers added (bolus, liver fat, plaques).
 */
final class AnatomySampler {
    /** Planted effects per year of age, relative to age 50 (volume factors) or age 18 (HU). */
    static final double AORTA_RADIUS_PER_YEAR = 0.0035;
    static final double KIDNEY_VOLUME_PER_YEAR = -0.0045;
    static final double PANCREAS_VOLUME_PER_YEAR = -0.006;
    static final double ILIOPSOAS_VOLUME_PER_YEAR = -0.006;
    /** The trabecular core of the vertebrae (Jang 2019: normal L1 values fall about 2.5 HU a year). */
    static final double VERTEBRA_CANCELLOUS_HU_PER_YEAR = -2.5;
    static final double HIP_CANCELLOUS_HU_PER_YEAR = -1.8;
    static final double CORTICAL_HU_PER_YEAR = -2.0;
    static final double AUTOCHTHON_HU_PER_YEAR = -0.35;
    /** Women's trabecular bone loses this much more per year after 50. */
    static final double FEMALE_LOSS_AFTER_50_PER_YEAR = -1.2;
    /** Native trabecular core at 18: mean and individual SD (HU). */
    static final double VERTEBRA_CORE_HU_AT_18 = 265;
    static final double VERTEBRA_CORE_SD = 12;
    /** Native liver HU at 0 % fat and its fall per percentage point of fat fraction (Starekova 2021). */
    static final double LIVER_HU_AT_NO_FAT = 65;
    static final double LIVER_HU_PER_FAT_PERCENT = -1.7;
    /** Liver fat fraction (%): log-normal, median 3.5 %, log SD 0.8, capped at 40 %. */
    static final double LIVER_FAT_MEDIAN_PERCENT = 3.5;
    static final double LIVER_FAT_LOG_SD = 0.8;
    static final double LIVER_FAT_MAX_PERCENT = 40;
    /**
     * Native HU of what the bundled demo model knows only enhanced: its training phantoms had aortas of
     * 150-330 HU, kidneys 110-240, pancreas 50-130, the vena cava 90-150, and it loses real unenhanced
     * blood (about 40 HU) and kidneys (about 30 HU). So the phantoms' native blood pool, kidneys and
     * pancreas stay in that range (gentled: brighter than real native tissue, with smaller
     * enhancement); liver, spleen and bone, what the biomarkers measure, keep real native values.
     */
    static final double NATIVE_AORTA_LOW = 160;
    static final double NATIVE_AORTA_HIGH = 190;
    static final double NATIVE_VEIN_LOW = 90;
    static final double NATIVE_VEIN_HIGH = 110;
    static final double NATIVE_KIDNEY = 115;
    static final double NATIVE_PANCREAS = 85;
    /** Real native spleen, about 10 HU below a healthy native liver. */
    static final double NATIVE_SPLEEN = 50;
    /** Aortic plaques: Poisson count with mean (age - 40) / 6 from age 40; size grows with age too. */
    static final double PLAQUE_ONSET_AGE = 40;
    static final double PLAQUE_YEARS_PER_PLAQUE = 6;

    private final SplittableRandom r;
    private final SplittableRandom bio;

    AnatomySampler(SplittableRandom rng, SplittableRandom bio) {
        this.r = rng;
        this.bio = bio;
    }

    Anatomy sample(Demographics d, ContrastPhase phase) {
        boolean male = d.male();
        double age = d.age();
        // Biomarker draws first, from their own stream.
        ContrastEnhancement enh = ContrastEnhancement.of(phase)
                .times(Math.exp(ContrastEnhancement.BOLUS_SD * bio.nextGaussian()));
        double liverFat = Math.min(LIVER_FAT_MAX_PERCENT,
                LIVER_FAT_MEDIAN_PERCENT * Math.exp(LIVER_FAT_LOG_SD * bio.nextGaussian()));

        double k = Math.exp(gauss(0, 0.04)) * (male ? 1.04 : 0.96);
        float fatHu = (float) gauss(-100, 8);
        float muscleHu = (float) gauss(50, 5);

        // Body outline: subcutaneous fat thicker in front than behind.
        double tf = clamp(gauss(male ? 20 : 26, 7), 8, 40);
        double innerA = 125 * k;
        double innerB = 88 * k;
        double innerCy = -0.25 * tf;
        var body = new Anatomy.BodyOutline(innerA + tf, innerB + 0.75 * tf, innerA, innerB, innerCy,
                uniform(8, 14), fatHu, muscleHu, (float) uniform(-80, -65));
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

        // Bowel loops and gas, unlabeled, in the anterior cavity. Loops keep clear of the L3 mid
        // slice, where body composition is measured: unlabeled soft tissue there would read as muscle.
        for (int i = 0; i < 8; i++) {
            var loop = Superellipsoid.ellipsoid(uniform(-80, 80) * k, uniform(10, 55) * k,
                    uniform(z5 - 30, z1 + 10), uniform(12, 28), uniform(10, 24), uniform(12, 30));
            parts.add(new Part(clearOfL3(loop), 0, (float) uniform(15, 45), Tissue.OTHER));
        }
        for (int i = 0; i < 3; i++) {
            parts.add(new Part(Superellipsoid.ellipsoid(uniform(-70, 70) * k, uniform(20, 55) * k,
                    uniform(z5, z1), uniform(6, 14), uniform(6, 12), uniform(6, 14)), 0, (float) uniform(-900, -750),
                    Tissue.OTHER));
        }

        // Autochthon: paraspinal muscles along the whole trunk, in a thin fat sheath.
        float autoHu = (float) (gauss(52, 5) + AUTOCHTHON_HU_PER_YEAR * (age - 18));
        for (int s : new int[] {1, -1}) {
            double x = s * (autoAx + 7);
            int label = s > 0 ? AUTOCHTHON_RIGHT : AUTOCHTHON_LEFT;
            parts.add(new Part(ellipticTubeZ(x, autoY, autoAx + 2, autoAy + 2), 0, fatHu, Tissue.VISCERAL_FAT));
            parts.add(new Part(ellipticTubeZ(x, autoY, autoAx, autoAy), label, autoHu, Tissue.MUSCLE));
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
            parts.add(new Part(Tube.alongZ(z, x, y, sheath), 0, fatHu, Tissue.VISCERAL_FAT));
            parts.add(new Part(Tube.alongZ(z, x, y, rad), label, psoasHu, Tissue.MUSCLE));
        }

        // Liver: right lobe and left lobe.
        double liverScale = Math.cbrt(volumeFactor(male ? 1.15 : 1.0, 0, age, 0.10));
        // Native liver: 65 HU less 1.7 HU per percentage point of fat, 4 HU individual spread.
        float liverHu = (float) (gauss(LIVER_HU_AT_NO_FAT, 4) + LIVER_HU_PER_FAT_PERCENT * liverFat + enh.liver());
        double lz = z1 + 35 * k;
        parts.add(new Part(new Union(List.of(
                new Superellipsoid(58 * k, gauss(0, 4), lz, 62 * k * liverScale, 62 * k * liverScale,
                        65 * k * liverScale, gauss(0, 0.15), uniform(0.2, 0.5), 2),
                new Superellipsoid(-15 * k, 30 * k, z1 + 55 * k, 50 * k * liverScale, 35 * k * liverScale,
                        38 * k * liverScale, -0.3 + gauss(0, 0.1), uniform(0.1, 0.4), 2))), LIVER, liverHu,
                Tissue.OTHER));

        // Spleen, posterolateral left.
        double spleenScale = Math.cbrt(volumeFactor(male ? 1.15 : 1.0, 0, age, 0.15));
        parts.add(new Part(new Superellipsoid(-72 * k, yv + 5 * k, z1 + 30 * k, 22 * k * spleenScale,
                48 * k * spleenScale, 45 * k * spleenScale, -0.6 + gauss(0, 0.15), uniform(0, 0.3), 2),
                SPLEEN, (float) (gauss(NATIVE_SPLEEN, 4) + enh.spleen()), Tissue.OTHER));

        // Kidneys in perirenal fat; the right one lower.
        float kidneyHu = (float) (gauss(NATIVE_KIDNEY, 8) + enh.kidney());
        for (int s : new int[] {1, -1}) {
            double ks = Math.cbrt(volumeFactor(male ? 1.15 : 1.0, KIDNEY_VOLUME_PER_YEAR, age, 0.10));
            double cz = s > 0 ? z2 - 8 * k + gauss(0, 6) : z2 + 5 * k + gauss(0, 6);
            var kidney = new Superellipsoid(s * 62 * k, yv - 2, cz, 24 * k * ks, 19 * k * ks, 50 * k * ks,
                    s * (0.35 + gauss(0, 0.1)), uniform(0, 0.2), 2);
            parts.add(new Part(new Superellipsoid(kidney.cx(), kidney.cy(), kidney.cz(), kidney.ax() + 5,
                    kidney.ay() + 5, kidney.az() + 5, kidney.angle(), kidney.boxiness(), 2), 0, fatHu,
                    Tissue.VISCERAL_FAT));
            parts.add(new Part(kidney, s > 0 ? KIDNEY_RIGHT : KIDNEY_LEFT, (float) (kidneyHu + gauss(0, 5)),
                    Tissue.OTHER));
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
        parts.add(new Part(new Tube(true, px, py, pz, pry, prz), PANCREAS, (float) (gauss(NATIVE_PANCREAS, 6) + enh.pancreas()),
                Tissue.OTHER));

        // Inferior vena cava (unlabeled) and aorta with its iliac branches (unlabeled).
        double top = 400;
        parts.add(new Part(new Tube(false, new double[] {z5, top}, new double[] {18 * k, 20 * k},
                new double[] {yv + apv3 + 11, yv + apv3 + 12}, new double[] {13, 13}, new double[] {9, 9}),
                0, (float) (uniform(NATIVE_VEIN_LOW, NATIVE_VEIN_HIGH) + enh.vein()), Tissue.OTHER));
        double ar = 10.5 * (1 + AORTA_RADIUS_PER_YEAR * (age - 50)) * (male ? 1.07 : 1.0) * Math.exp(gauss(0, 0.06));
        float aortaHu = (float) (uniform(NATIVE_AORTA_LOW, NATIVE_AORTA_HIGH) + enh.aorta());
        double ay = yv + apv3 + ar + 2;
        double[] az = {z4, z2, z1 + 40, top};
        double[] ax = {-8 * k, -12 * k + gauss(0, 3), -15 * k + gauss(0, 3), -15 * k};
        double[] ayk = {ay, ay + gauss(0, 2), ay, ay};
        double[] ark = {0.9 * ar, 0.95 * ar, ar, ar};
        Tube aorta = Tube.alongZ(az, ax, ayk, ark);
        parts.add(new Part(aorta, AORTA, aortaHu, Tissue.OTHER));
        int plaques = plaques(parts, aorta, age, z4 + 5, z1 + 30);
        for (int s : new int[] {1, -1}) {
            parts.add(new Part(Tube.alongZ(new double[] {z5 - 60 * k, z4 - 0.01}, new double[] {s * 50 * k, ax[0]},
                    new double[] {yv + 45 * k, ay}, new double[] {0.6 * ar, 0.6 * ar}), 0, aortaHu, Tissue.OTHER));
        }

        // Bone attenuation falls with age (faster in women after 50); contrast raises the trabecular core.
        double femaleLoss = male ? 0 : FEMALE_LOSS_AFTER_50_PER_YEAR * Math.max(0, age - 50);
        float cortical = (float) (gauss(900, 80) + CORTICAL_HU_PER_YEAR * (age - 18));
        float vertCore = (float) (Math.max(40, gauss(VERTEBRA_CORE_HU_AT_18, VERTEBRA_CORE_SD)
                + VERTEBRA_CANCELLOUS_HU_PER_YEAR * (age - 18) + femaleLoss) + enh.trabecular());
        float hipCore = (float) (Math.max(40, gauss(230, 25) + HIP_CANCELLOUS_HU_PER_YEAR * (age - 18) + femaleLoss)
                + enh.trabecular());
        r.nextDouble(); // was the shell thickness in mm; the cortex is now one voxel of the grid (Part.shelled)

        // Discs and sacrum (unlabeled).
        float discHu = (float) uniform(70, 100);
        for (int level = 0; level <= 5; level++) {
            double zc = (3 - level) * p - p / 2;
            double axv = (19 + 1.2 * Math.max(level, 1)) * k;
            double apv = (14 + 0.6 * Math.max(level, 1)) * k;
            parts.add(new Part(new Superellipsoid(0, yv, zc, axv, apv, disc / 2 + 1, 0, 0.3, 4), 0, discHu, Tissue.OTHER));
        }
        double sacrumTop = z5 - h / 2 - disc;
        var sacrum = Superellipsoid.ellipsoid(0, yv - 5, sacrumTop - 42 * k, 38 * k, 22 * k, 42 * k);
        parts.add(Part.shelled(sacrum, 0, vertCore, Tissue.TRABECULAR_BONE, cortical));

        // Lumbar vertebrae: body (cortical shell, cancellous core), pedicles, lamina, processes.
        double l3Centre = 0;
        for (int level = 1; level <= 5; level++) {
            double zc = (3 - level) * p + gauss(0, 0.5);
            if (level == 3) {
                l3Centre = zc;
            }
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
            parts.add(Part.shelled(vb, label, vertCore, Tissue.TRABECULAR_BONE, cortical));
            parts.add(new Part(new Union(arch), label, 0.5f * (cortical + vertCore), Tissue.MIXED_BONE));
        }
        // Spinal canal (CSF) carves the arch.
        parts.add(new Part(Tube.alongZ(new double[] {-400, 400}, new double[] {0, 0},
                new double[] {yv - apv3 - 8, yv - apv3 - 8}, new double[] {7.5, 7.5}), 0, 15f, Tissue.OTHER));

        // Hips: iliac wing (thick tilted plate) and acetabular body.
        for (int s : new int[] {1, -1}) {
            var wing = new Superellipsoid(s * 72 * k, yv + 25 * k, z5 - 15 * k, 11 * k, 50 * k, 42 * k,
                    -s * Math.toRadians(47 + gauss(0, 4)), 0.2, 2);
            var acetabulum = Superellipsoid.ellipsoid(s * 88 * k, yv + 45 * k, z5 - 80 * k, 26 * k, 30 * k, 28 * k);
            int label = s > 0 ? HIP_RIGHT : HIP_LEFT;
            parts.add(Part.shelled(new Union(List.of(wing, acetabulum)), label, hipCore, Tissue.TRABECULAR_BONE, cortical));
        }

        double liverTop = parts.stream().filter(pt -> pt.label() == LIVER).mapToDouble(pt -> pt.shape().bounds()[5]).max().orElseThrow();
        double hipBottom = parts.stream().filter(pt -> pt.label() == HIP_LEFT || pt.label() == HIP_RIGHT)
                .mapToDouble(pt -> pt.shape().bounds()[4]).min().orElseThrow();
        return new Anatomy(body, parts, liverTop, hipBottom, l3Centre, liverFat, plaques);
    }

    /** The same loop moved along z, if needed, so that it keeps 8 mm clear of z = 0 (the nominal L3 centre). */
    private static Superellipsoid clearOfL3(Superellipsoid loop) {
        double clear = loop.az() + 8;
        if (Math.abs(loop.cz()) >= clear) {
            return loop;
        }
        double cz = loop.cz() < 0 ? -clear : clear;
        return new Superellipsoid(loop.cx(), loop.cy(), cz, loop.ax(), loop.ay(), loop.az(), loop.angle(),
                loop.boxiness(), loop.zPower());
    }

    /**
     * Calcified plaques in the aortic wall between {@code zLow} and {@code zHigh}: a Poisson number with
     * mean (age - 40) / 6, each 1.5-3 mm thick, its length and arc growing with age, 350-900 HU.
     * Painted with the aorta's label, inside its mask. Returns how many were planted.
     */
    private int plaques(List<Part> parts, Tube aorta, double age, double zLow, double zHigh) {
        double years = Math.max(0, age - PLAQUE_ONSET_AGE);
        int n = poisson(years / PLAQUE_YEARS_PER_PLAQUE);
        for (int i = 0; i < n; i++) {
            double z0 = zLow + (zHigh - zLow) * bio.nextDouble();
            double length = 2 + 0.15 * years * bio.nextDouble();
            double arc = 3 + 0.10 * years * bio.nextDouble();
            double thickness = 1.5 + 1.5 * bio.nextDouble();
            double angle = 2 * Math.PI * bio.nextDouble();
            float hu = (float) (350 + 550 * bio.nextDouble());
            double radius = aorta.sectionAt(z0)[2];
            parts.add(new Part(new WallPlaque(aorta, z0, length / 2, angle, Math.min(Math.PI, arc / 2 / radius), thickness),
                    AORTA, hu, Tissue.CALCIUM));
        }
        return n;
    }

    /** Knuth's Poisson sampler (small means only). */
    private int poisson(double mean) {
        double l = Math.exp(-mean);
        int n = 0;
        double prod = bio.nextDouble();
        while (prod > l) {
            n++;
            prod *= bio.nextDouble();
        }
        return n;
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
