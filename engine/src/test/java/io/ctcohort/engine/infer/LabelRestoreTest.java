package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.image.VoxelView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LabelRestoreTest {

    private static LabelVolume grid(int nx, int ny, int nz, int maxLabel) {
        return LabelVolume.allocate(Geometry.axisAligned(nx, ny, nz, 1, 1, 1), maxLabel);
    }

    private static VoxelView whole(LabelVolume v) {
        return VoxelView.of(v.geometry());
    }

    private static int count(LabelVolume v, int label) {
        int n = 0;
        for (int i = 0; i < v.geometry().voxelCount(); i++) {
            n += v.get(i) == label ? 1 : 0;
        }
        return n;
    }

    /**
     * One labelled model voxel in a 3x3x3 model grid, restored to 9x9x9. Original index 3, 4, 5
     * samples model coordinate 2/3, 1, 4/3: weight 2/3, 1, 2/3 of the middle voxel. Nearest gives
     * the whole 3x3x3 cube; linear keeps only voxels whose weight (2/3)^k exceeds 1/2, k axes off
     * the centre: the centre and its 6 face neighbours.
     */
    @Test
    void linearRoundsTheCubeThatNearestMakesOfOneModelVoxel() {
        LabelVolume model = grid(3, 3, 3, 255);
        model.set(model.geometry().index(1, 1, 1), 7);
        LabelVolume nearest = grid(9, 9, 9, 255);
        LabelVolume linear = grid(9, 9, 9, 255);

        LabelRestore.nearest(model, whole(nearest), nearest);
        LabelRestore.linear(model, whole(linear), linear);

        assertEquals(27, count(nearest, 7));
        assertEquals(7, count(linear, 7));
        assertEquals(7, linear.get(4, 4, 4));
        assertEquals(7, linear.get(3, 4, 4));
        assertEquals(0, linear.get(3, 3, 4), "edge voxel: weight 4/9 < 1/2");
        assertEquals(7, nearest.get(3, 3, 3));
    }

    /** Between two model voxels labelled differently, 1-D boundaries fall where nearest puts them too. */
    @Test
    void linearAgreesWithNearestAcrossAFlatBoundary() {
        LabelVolume model = grid(4, 3, 3, 255);
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 3; y++) {
                model.set(model.geometry().index(2, y, z), 4);
                model.set(model.geometry().index(3, y, z), 9);
            }
        }
        LabelVolume nearest = grid(8, 6, 6, 255);
        LabelVolume linear = grid(8, 6, 6, 255);
        LabelRestore.nearest(model, whole(nearest), nearest);
        LabelRestore.linear(model, whole(linear), linear);
        for (int i = 0; i < 8 * 6 * 6; i++) {
            assertEquals(nearest.get(i), linear.get(i), "voxel " + i);
        }
        assertEquals(0, linear.get(3, 2, 2));
        assertEquals(4, linear.get(4, 2, 2));
        assertEquals(9, linear.get(7, 2, 2));
    }

    /** A sample point halfway between labels 300 and 3 (uint16 map): equal weights, the lower label wins. */
    @Test
    void tiesGoToTheLowestLabelAndWideLabelsSurvive() {
        LabelVolume model = grid(2, 1, 1, 300);
        model.set(0, 300);
        model.set(1, 3);
        LabelVolume out = grid(1, 1, 1, 300);
        LabelRestore.linear(model, whole(out), out);
        assertEquals(3, out.get(0));

        model.set(1, 300);
        LabelRestore.linear(model, whole(out), out);
        assertEquals(300, out.get(0));
    }
}
