package io.ctcohort.engine.phantom;

/**
 * A calcified plaque in the wall of a round vessel: the part of the lumen within {@code thickness}
 * mm of the wall, over {@code halfLength} mm either side of {@code z0} and {@code halfArc} radians
 * either side of {@code angle}. It lies inside the vessel by construction, so painting it with the
 * vessel's label changes the vessel's HU, never its mask.
 */
record WallPlaque(Tube vessel, double z0, double halfLength, double angle, double halfArc, double thickness)
        implements Shape {

    @Override
    public double[] bounds() {
        double[] b = vessel.bounds();
        return new double[] {b[0], b[1], b[2], b[3], Math.max(b[4], z0 - halfLength), Math.min(b[5], z0 + halfLength)};
    }

    @Override
    public boolean contains(double x, double y, double z) {
        if (Math.abs(z - z0) > halfLength) {
            return false;
        }
        double[] s = vessel.sectionAt(z);
        if (s == null) {
            return false;
        }
        double dx = x - s[0];
        double dy = y - s[1];
        double r = Math.sqrt(dx * dx + dy * dy);
        if (r > s[2] || r < s[2] - thickness) {
            return false;
        }
        double d = Math.abs(Math.IEEEremainder(Math.atan2(dy, dx) - angle, 2 * Math.PI));
        return d <= halfArc;
    }
}
