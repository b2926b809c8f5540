package io.ctcohort.engine.phantom;

import io.ctcohort.engine.measure.ContrastPhase;
import java.util.SplittableRandom;

/**
 * The contrast phase the phantom generator plants: which phase an exam is in (the mix changes with
 * age) and how many HU each phase adds to each enhancing tissue over its native value
 * (docs/DESIGN.md "Phantoms" cites every number).
 *
 * <p>Phase mix: {@code P(native | age) = 0.05 + 0.85 (age - 18) / 77} (5 % at 18, 90 % at 95: older
 * patients are more often scanned without contrast); a contrast exam is arterial with probability
 * 0.25, else portal venous. Enhancement is the table below times a per-exam bolus factor
 * {@code exp(N(0, 0.15))} (median 1). Cortical bone, muscle and fat are not enhanced.
 *
 * @param aorta      arterial blood (aorta and iliac arteries)
 * @param vein       venous blood (inferior vena cava)
 * @param trabecular cancellous bone (vertebral bodies, sacrum, hips; half of it in the posterior elements)
 */
record ContrastEnhancement(double aorta, double vein, double liver, double spleen, double kidney, double pancreas,
                           double trabecular) {
    static final double NATIVE_AT_18 = 0.05;
    static final double NATIVE_AT_95 = 0.90;
    static final double ARTERIAL_SHARE_OF_CONTRAST = 0.25;
    static final double BOLUS_SD = 0.15;

    static final ContrastEnhancement NATIVE = new ContrastEnhancement(0, 0, 0, 0, 0, 0, 0);
    /** Liver, spleen and trabecular bone as measured in patients; blood, kidney, pancreas gentled (see AnatomySampler). */
    static final ContrastEnhancement ARTERIAL = new ContrastEnhancement(130, 10, 15, 60, 70, 30, 13);
    static final ContrastEnhancement PORTAL_VENOUS = new ContrastEnhancement(50, 35, 50, 70, 85, 20, 18);

    /** The table for a phase the generator plants (native, arterial or portal venous). */
    static ContrastEnhancement of(ContrastPhase phase) {
        return switch (phase) {
            case NATIVE -> NATIVE;
            case ARTERIAL -> ARTERIAL;
            case PORTAL_VENOUS -> PORTAL_VENOUS;
            default -> throw new IllegalArgumentException("phantoms are native, arterial or portal venous, not " + phase);
        };
    }

    /** Probability that an exam at this age is native (unenhanced). */
    static double nativeProbability(double age) {
        double f = Math.max(0, Math.min(1, (age - 18) / 77.0));
        return NATIVE_AT_18 + (NATIVE_AT_95 - NATIVE_AT_18) * f;
    }

    /** Draws the phase of an exam: one uniform from {@code rng}. */
    static ContrastPhase draw(SplittableRandom rng, double age) {
        double u = rng.nextDouble();
        double pNative = nativeProbability(age);
        if (u < pNative) {
            return ContrastPhase.NATIVE;
        }
        return (u - pNative) / (1 - pNative) < ARTERIAL_SHARE_OF_CONTRAST ? ContrastPhase.ARTERIAL
                : ContrastPhase.PORTAL_VENOUS;
    }

    /** Every enhancement times {@code factor} (the exam's bolus). */
    ContrastEnhancement times(double factor) {
        return new ContrastEnhancement(aorta * factor, vein * factor, liver * factor, spleen * factor, kidney * factor,
                pancreas * factor, trabecular * factor);
    }
}
