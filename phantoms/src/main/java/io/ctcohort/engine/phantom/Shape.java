package io.ctcohort.engine.phantom;

/** A solid in patient space (RAS+ millimetres) that the phantom painter can rasterize. */
interface Shape {
    /** Conservative bounding box: {xmin, xmax, ymin, ymax, zmin, zmax} in mm. */
    double[] bounds();

    boolean contains(double x, double y, double z);
}
