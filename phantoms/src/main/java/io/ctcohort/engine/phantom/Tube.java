package io.ctcohort.engine.phantom;

/**
 * A tube swept along the z axis (vessels, muscles) or the x axis (pancreas): at each knot
 * along that axis a centre and elliptical cross-section, linearly interpolated between knots.
 * The ends are flat.
 *
 * @param alongX false: knots t are z, (c1, c2) = (x, y) centre, (r1, r2) = (x, y) semi-axes;
 *               true: knots t are x, (c1, c2) = (y, z) centre, (r1, r2) = (y, z) semi-axes
 * @param t      knot positions, strictly increasing
 */
record Tube(boolean alongX, double[] t, double[] c1, double[] c2, double[] r1, double[] r2) implements Shape {
    Tube {
        for (int i = 1; i < t.length; i++) {
            if (t[i] <= t[i - 1]) {
                throw new IllegalArgumentException("tube knots must increase");
            }
        }
    }

    /** A round tube along z. */
    static Tube alongZ(double[] z, double[] x, double[] y, double[] r) {
        return new Tube(false, z, x, y, r, r);
    }

    @Override
    public double[] bounds() {
        double lo1 = Double.MAX_VALUE, hi1 = -Double.MAX_VALUE, lo2 = Double.MAX_VALUE, hi2 = -Double.MAX_VALUE;
        for (int i = 0; i < t.length; i++) {
            lo1 = Math.min(lo1, c1[i] - r1[i]);
            hi1 = Math.max(hi1, c1[i] + r1[i]);
            lo2 = Math.min(lo2, c2[i] - r2[i]);
            hi2 = Math.max(hi2, c2[i] + r2[i]);
        }
        double t0 = t[0];
        double t1 = t[t.length - 1];
        return alongX ? new double[] {t0, t1, lo1, hi1, lo2, hi2} : new double[] {lo1, hi1, lo2, hi2, t0, t1};
    }

    @Override
    public boolean contains(double x, double y, double z) {
        double s = alongX ? x : z;
        double p1 = alongX ? y : x;
        double p2 = alongX ? z : y;
        if (s < t[0] || s > t[t.length - 1]) {
            return false;
        }
        int i = 0;
        while (i < t.length - 2 && s > t[i + 1]) {
            i++;
        }
        double f = (s - t[i]) / (t[i + 1] - t[i]);
        double d1 = (p1 - lerp(c1, i, f)) / lerp(r1, i, f);
        double d2 = (p2 - lerp(c2, i, f)) / lerp(r2, i, f);
        return d1 * d1 + d2 * d2 <= 1;
    }

    /**
     * The cross-section of a round tube along z at {@code z}: {x, y, radius}, the radius being the x
     * semi-axis; null outside the tube's knots.
     */
    double[] sectionAt(double z) {
        if (alongX || z < t[0] || z > t[t.length - 1]) {
            return null;
        }
        int i = 0;
        while (i < t.length - 2 && z > t[i + 1]) {
            i++;
        }
        double f = (z - t[i]) / (t[i + 1] - t[i]);
        return new double[] {lerp(c1, i, f), lerp(c2, i, f), lerp(r1, i, f)};
    }

    private static double lerp(double[] v, int i, double f) {
        return v[i] + f * (v[i + 1] - v[i]);
    }
}
