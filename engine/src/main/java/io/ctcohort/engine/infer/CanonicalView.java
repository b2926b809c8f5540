package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.Reorientation;

/**
 * A box of the canonical (RAS) grid read straight from the source voxel array: voxel (x, y, z) of
 * the box is source element {@code origin + x * sx + y * sy + z * sz}. Reorientation and cropping
 * become index arithmetic instead of copies of a 500 MB CT (ImgLib2's views).
 */
record CanonicalView(int origin, int sx, int sy, int sz, int nx, int ny, int nz) {

    static CanonicalView of(Reorientation ro) {
        var g = ro.canonical();
        return new CanonicalView(ro.canonicalOrigin(), ro.canonicalStride(0), ro.canonicalStride(1),
                ro.canonicalStride(2), g.nx(), g.ny(), g.nz());
    }

    /** The sub-box starting at canonical voxel (x0, y0, z0) with the given size. */
    CanonicalView crop(int x0, int y0, int z0, int cx, int cy, int cz) {
        return new CanonicalView(origin + x0 * sx + y0 * sy + z0 * sz, sx, sy, sz, cx, cy, cz);
    }

    int index(int x, int y, int z) {
        return origin + x * sx + y * sy + z * sz;
    }

    int[] dims() {
        return new int[] {nx, ny, nz};
    }
}
