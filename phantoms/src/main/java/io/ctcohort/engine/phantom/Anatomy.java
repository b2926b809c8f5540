package io.ctcohort.engine.phantom;

import java.util.List;

/**
 * One patient's sampled anatomy in patient millimetres (RAS+, origin on the body axis at the
 * centre of L3): the body outline (outer superellipse = skin, inner = muscle wall, cavity) and
 * the structures to paint over it, in painting order (later parts overwrite earlier ones).
 *
 * @param l3Centre        z of the centre of the L3 vertebral body (where body composition is measured)
 * @param liverFatPercent the planted liver fat fraction (MRI proton density fat fraction, %)
 * @param plaques         the number of aortic wall plaques planted
 */
record Anatomy(BodyOutline body, List<Part> parts, double top, double bottom, double l3Centre,
               double liverFatPercent, int plaques) {

    /**
     * Axial cross-sections of the trunk: skin, subcutaneous fat, muscle wall, abdominal cavity
     * (visceral fat, {@code cavityHu}); the same at every z.
     */
    record BodyOutline(double outerA, double outerB, double innerA, double innerB, double innerCy,
                       double wall, float fatHu, float muscleHu, float cavityHu) {
        private static final double BOXINESS = 0.35;

        boolean insideOuter(double x, double y) {
            return f(x / outerA, y / outerB) <= 1;
        }

        boolean insideInner(double x, double y) {
            return f(x / innerA, (y - innerCy) / innerB) <= 1;
        }

        boolean insideCavity(double x, double y) {
            return f(x / (innerA - wall), (y - innerCy) / (innerB - wall)) <= 1;
        }

        private static double f(double u, double v) {
            double u2 = u * u;
            double v2 = v * v;
            return (1 - BOXINESS) * (u2 + v2) + BOXINESS * (u2 * u2 + v2 * v2);
        }
    }
}
