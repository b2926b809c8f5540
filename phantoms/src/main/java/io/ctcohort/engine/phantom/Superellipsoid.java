package io.ctcohort.engine.phantom;

/**
 * An ellipsoid made boxier at will: in-plane {@code (1-m)(u^2+v^2) + m(u^4+v^4)} plus
 * {@code |w|^zPower} must not exceed 1, with (u, v) rotated by {@code angle} about the z axis.
 * Integer powers keep the inside test cheap (no {@code Math.pow} per voxel).
 */
record Superellipsoid(double cx, double cy, double cz, double ax, double ay, double az,
                      double angle, double boxiness, int zPower) implements Shape {

    static Superellipsoid ellipsoid(double cx, double cy, double cz, double ax, double ay, double az) {
        return new Superellipsoid(cx, cy, cz, ax, ay, az, 0, 0, 2);
    }

    /** The same solid with every semi-axis reduced by {@code t} mm (the core inside a shell). */
    Superellipsoid shrunk(double t) {
        return new Superellipsoid(cx, cy, cz, Math.max(ax - t, 0.5), Math.max(ay - t, 0.5),
                Math.max(az - t, 0.5), angle, boxiness, zPower);
    }

    @Override
    public double[] bounds() {
        double c = Math.abs(Math.cos(angle));
        double s = Math.abs(Math.sin(angle));
        double hx = c * ax + s * ay;
        double hy = s * ax + c * ay;
        return new double[] {cx - hx, cx + hx, cy - hy, cy + hy, cz - az, cz + az};
    }

    @Override
    public boolean contains(double x, double y, double z) {
        double w = (z - cz) / az;
        double fz = pow(Math.abs(w), zPower);
        if (fz > 1) {
            return false;
        }
        double dx = x - cx;
        double dy = y - cy;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double u = (c * dx + s * dy) / ax;
        double v = (-s * dx + c * dy) / ay;
        double u2 = u * u;
        double v2 = v * v;
        double fxy = (1 - boxiness) * (u2 + v2) + boxiness * (u2 * u2 + v2 * v2);
        return fxy + fz <= 1;
    }

    private static double pow(double a, int n) {
        double r = 1;
        for (int i = 0; i < n; i++) {
            r *= a;
        }
        return r;
    }
}
