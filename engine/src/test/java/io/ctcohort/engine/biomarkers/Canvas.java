package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.BiomarkerValue;
import java.util.List;
import java.util.Random;

/**
 * A test phantom painted on a RAS+ grid (x to the right, y anterior, z superior) in mm from the
 * grid's centre, with TotalSegmentator's "total" label numbers; {@link #lps()} stores the same
 * voxels with x and y reversed, as DICOM-converted arrays often are.
 */
final class Canvas {
    interface Region {
        boolean contains(double x, double y, int k);
    }

    static final LabelMap TOTAL = LabelMap.total();

    final int nx;
    final int ny;
    final int nz;
    final double sx;
    final double sy;
    final double sz;
    final short[] hu;
    final byte[] labels;

    Canvas(int nx, int ny, int nz, double sx, double sy, double sz, int backgroundHu) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.sx = sx;
        this.sy = sy;
        this.sz = sz;
        hu = new short[nx * ny * nz];
        labels = new byte[nx * ny * nz];
        java.util.Arrays.fill(hu, (short) backgroundHu);
    }

    static int label(String structure) {
        return TOTAL.asMap().entrySet().stream().filter(e -> e.getValue().equals(structure)).findFirst()
                .orElseThrow().getKey();
    }

    double x(int i) {
        return (i - (nx - 1) / 2.0) * sx;
    }

    double y(int j) {
        return (j - (ny - 1) / 2.0) * sy;
    }

    /** Paints HU (and the label, unless null) over the region. */
    Canvas paint(Region r, int value, String structure) {
        paintHu(r, value);
        if (structure != null) {
            paintLabel(r, structure);
        }
        return this;
    }

    Canvas paintHu(Region r, int value) {
        forEach(r, i -> hu[i] = (short) value);
        return this;
    }

    Canvas paintLabel(Region r, String structure) {
        byte l = (byte) label(structure);
        forEach(r, i -> labels[i] = l);
        return this;
    }

    /** Paints a raw label number (for vocabularies other than "total"). */
    Canvas paintLabel(Region r, int label) {
        forEach(r, i -> labels[i] = (byte) label);
        return this;
    }

    /** Adds Gaussian noise of the given SD to every voxel (seeded: the phantom is fixed). */
    Canvas noise(double sd, long seed) {
        Random rng = new Random(seed);
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) Math.round(hu[i] + sd * rng.nextGaussian());
        }
        return this;
    }

    private void forEach(Region r, java.util.function.IntConsumer f) {
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                double y = y(j);
                for (int i = 0; i < nx; i++) {
                    if (r.contains(x(i), y, k)) {
                        f.accept(i + nx * (j + ny * k));
                    }
                }
            }
        }
    }

    static Region ellipse(double cx, double cy, double ax, double ay, int k0, int k1) {
        return (x, y, k) -> k >= k0 && k <= k1 && sq((x - cx) / ax) + sq((y - cy) / ay) <= 1;
    }

    static Region rect(double x0, double x1, double y0, double y1, int k0, int k1) {
        return (x, y, k) -> k >= k0 && k <= k1 && x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }

    private static double sq(double v) {
        return v * v;
    }

    Geometry ras() {
        return Geometry.axisAligned(nx, ny, nz, sx, sy, sz);
    }

    CtVolume ct() {
        return new CtVolume(ras(), hu.clone());
    }

    LabelVolume labelVolume() {
        return LabelVolume.ofUInt8(ras(), labels.clone());
    }

    /** The same exam stored LPS: voxel (i, j, k) of the arrays is canonical (nx-1-i, ny-1-j, k). */
    Canvas.Stored lps() {
        double[] affine = {-sx, 0, 0, (nx - 1) * sx, 0, -sy, 0, (ny - 1) * sy, 0, 0, sz, 0, 0, 0, 0, 1};
        Geometry g = new Geometry(nx, ny, nz, affine, new double[] {sx, sy, sz});
        short[] h = new short[hu.length];
        byte[] l = new byte[labels.length];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int from = i + nx * (j + ny * k);
                    int to = (nx - 1 - i) + nx * ((ny - 1 - j) + ny * k);
                    h[to] = hu[from];
                    l[to] = labels[from];
                }
            }
        }
        return new Stored(new CtVolume(g, h), LabelVolume.ofUInt8(g, l));
    }

    Stored stored() {
        return new Stored(ct(), labelVolume());
    }

    record Stored(CtVolume ct, LabelVolume labels) {
        ExamVolume volume() {
            return ExamVolume.of(ct, labels, TOTAL);
        }

        ExamVolume volume(LabelMap names) {
            return ExamVolume.of(ct, labels, names);
        }
    }

    static BiomarkerValue find(List<BiomarkerValue> values, String biomarker, String site) {
        return values.stream().filter(b -> b.biomarker().equals(biomarker) && b.site().equals(site)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + biomarker + " at " + site + " in " + values));
    }
}
