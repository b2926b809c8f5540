package io.ctcohort.engine.image;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReorientationTest {

    static Geometry geometry(int nx, int ny, int nz, double[][] m, double[] t) {
        double[] a = new double[16];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[4 * r + c] = m[r][c];
            }
            a[4 * r + 3] = t[r];
        }
        a[15] = 1;
        double[] sp = new double[3];
        for (int c = 0; c < 3; c++) {
            sp[c] = Math.sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
        }
        return new Geometry(nx, ny, nz, a, sp);
    }

    /** Expected orientations computed with nibabel.orientations.io_orientation (nibabel 5). */
    @Test
    void axesMatchNibabel() {
        assertArrayEquals(new int[] {-1, -2, 3}, axes(new double[][] {{-0.8, 0, 0}, {0, -0.8, 0}, {0, 0, 2.5}}));
        assertArrayEquals(new int[] {3, -1, 2}, axes(new double[][] {{0, -1, 0}, {0, 0, 1.5}, {2, 0, 0}}));
        assertArrayEquals(new int[] {2, -3, -1}, axes(new double[][] {
                {-0.3288924172750679, 0.1539090644965509, -1.7320508075688774},
                {0.5696583769445617, -0.2665783194534215, -0.9999999999999999},
                {-0.2394141003279681, -0.8457233587073176, 0.0}}));
        assertArrayEquals(new int[] {1, 2, 3}, axes(new double[][] {
                {0.7083398377245289, -0.8470458848144172, 0}, {0.705871570678681, 0.8500078052694346, 0}, {0, 0, 3}}));
        assertArrayEquals(new int[] {1, 2, -3}, axes(new double[][] {{0.9, 0.5, 0.1}, {-0.4, 0.8, 0.3}, {0.2, -0.3, -1.1}}));
    }

    private static int[] axes(double[][] m) {
        return Reorientation.closestAxes(geometry(4, 5, 6, m, new double[] {1, 2, 3}));
    }

    @Test
    void canonicalGridIsLeftAlone() {
        Geometry g = Geometry.axisAligned(4, 5, 6, 1, 2, 3);
        Reorientation ro = Reorientation.toCanonical(g);
        assertTrue(ro.isIdentity());
        CtVolume ct = CtVolume.allocate(g);
        assertSame(ct, ro.apply(ct));
    }

    @Test
    void everyVoxelKeepsItsWorldPositionAndValue() {
        double[][][] cases = {
                {{-0.8, 0, 0}, {0, -0.8, 0}, {0, 0, 2.5}},
                {{0, -1, 0}, {0, 0, 1.5}, {2, 0, 0}},
                {{-0.3288924172750679, 0.1539090644965509, -1.7320508075688774},
                        {0.5696583769445617, -0.2665783194534215, -0.9999999999999999},
                        {-0.2394141003279681, -0.8457233587073176, 0.0}},
        };
        Random rnd = new Random(1);
        for (double[][] m : cases) {
            Geometry g = geometry(7, 5, 3, m, new double[] {10, -20, 30});
            short[] hu = new short[(int) g.voxelCount()];
            for (int i = 0; i < hu.length; i++) {
                hu[i] = (short) rnd.nextInt(4000);
            }
            CtVolume ct = new CtVolume(g, hu);
            Reorientation ro = Reorientation.toCanonical(g);
            CtVolume can = ro.apply(ct);
            Geometry cg = can.geometry();
            assertEquals(g.voxelCount(), cg.voxelCount());
            // canonical: each axis points mostly along +R, +A, +S
            for (int b = 0; b < 3; b++) {
                assertTrue(cg.affine(b, b) > 0, "axis " + b + " not positive");
                assertEquals(g.spacing()[ro.sourceAxis(b)], cg.spacing()[b]);
            }
            for (int x = 0; x < g.nx(); x++) {
                for (int y = 0; y < g.ny(); y++) {
                    for (int z = 0; z < g.nz(); z++) {
                        double[] w = world(g, x, y, z);
                        int[] c = voxelOf(cg, w);
                        assertEquals(ct.get(x, y, z), can.get(c[0], c[1], c[2]));
                    }
                }
            }
            // the view reads the source array in canonical order: index() for one voxel, copy() for all
            VoxelView view = ro.canonicalView();
            assertArrayEquals(cg.dims(), view.dims());
            for (int x = 0; x < cg.nx(); x++) {
                for (int y = 0; y < cg.ny(); y++) {
                    for (int z = 0; z < cg.nz(); z++) {
                        assertEquals(can.get(x, y, z), hu[view.index(x, y, z)]);
                    }
                }
            }
            LabelVolume l8 = LabelVolume.allocate(g, 255);
            for (int i = 0; i < hu.length; i++) {
                l8.set(i, hu[i] & 0xFF);
            }
            byte[] c8 = view.copy(l8.uint8());
            for (int i = 0; i < hu.length; i++) {
                assertEquals(can.hu()[i] & 0xFF, c8[i] & 0xFF);
            }
        }
    }

    /** A crop of a view is the same voxels as the view read from the crop's corner. */
    @Test
    void cropComposesWithTheOrientation() {
        VoxelView v = VoxelView.oriented(new int[] {4, 5, 6}, new int[] {2, 0, 1}, new boolean[] {true, false, true});
        assertArrayEquals(new int[] {6, 4, 5}, v.dims());
        assertEquals(4 * 4 + 5 * 20, v.index(0, 0, 0)); // source (0, 4, 5): z and y run backwards
        VoxelView c = v.crop(1, 2, 3, 2, 2, 2);
        assertArrayEquals(new int[] {2, 2, 2}, c.dims());
        for (int x = 0; x < 2; x++) {
            for (int y = 0; y < 2; y++) {
                for (int z = 0; z < 2; z++) {
                    assertEquals(v.index(1 + x, 2 + y, 3 + z), c.index(x, y, z));
                }
            }
        }
    }

    static double[] world(Geometry g, double x, double y, double z) {
        double[] w = new double[3];
        for (int r = 0; r < 3; r++) {
            w[r] = g.affine(r, 0) * x + g.affine(r, 1) * y + g.affine(r, 2) * z + g.affine(r, 3);
        }
        return w;
    }

    /** Inverse affine by solving the 3x3 system (Cramer), rounded: the voxel at a world position. */
    static int[] voxelOf(Geometry g, double[] w) {
        double[][] a = new double[3][3];
        double[] b = new double[3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[r][c] = g.affine(r, c);
            }
            b[r] = w[r] - g.affine(r, 3);
        }
        double det = det(a);
        int[] v = new int[3];
        for (int c = 0; c < 3; c++) {
            double[][] m = new double[3][];
            for (int r = 0; r < 3; r++) {
                m[r] = a[r].clone();
                m[r][c] = b[r];
            }
            double s = det(m) / det;
            v[c] = (int) Math.round(s);
            assertEquals(v[c], s, 1e-9, "not on a voxel centre");
        }
        return v;
    }

    private static double det(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }
}
