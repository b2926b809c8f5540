package io.ctcohort.engine.phantom;

import java.util.List;

/** Several solids that make one structure (a liver of two lobes, a vertebra of body and arch). */
record Union(List<Shape> parts) implements Shape {
    @Override
    public double[] bounds() {
        double[] b = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.MAX_VALUE, -Double.MAX_VALUE};
        for (Shape p : parts) {
            double[] q = p.bounds();
            for (int k = 0; k < 6; k += 2) {
                b[k] = Math.min(b[k], q[k]);
                b[k + 1] = Math.max(b[k + 1], q[k + 1]);
            }
        }
        return b;
    }

    @Override
    public boolean contains(double x, double y, double z) {
        for (Shape p : parts) {
            if (p.contains(x, y, z)) {
                return true;
            }
        }
        return false;
    }
}
