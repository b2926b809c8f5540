package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogitRingTest {
    private static final int[] PATCH = {4, 3, 2};

    /** Two classes over one 4x3x2 tile: class 0 is 0, class 1 is x - 1.5 in the network's output order. */
    private static FloatBuffer logits() {
        float[] v = new float[2 * 24];
        for (int i = 0; i < 24; i++) {
            v[24 + i] = i % 4 - 1.5f;
        }
        return FloatBuffer.wrap(v);
    }

    private static LabelVolume segment(int... mirrors) {
        TileGrid grid = TileGrid.of(4, 3, 2, PATCH, 0.5);
        float[] flat = new float[grid.tileVoxels()];
        Arrays.fill(flat, 1f);
        LogitRing ring = new LogitRing(grid, 2, flat);
        for (int m : mirrors) {
            ring.add(logits(), 0, new Tile(0, 0, 0, m));
        }
        LabelVolume out = LabelVolume.allocate(Geometry.axisAligned(4, 3, 2, 1, 1, 1), 255);
        for (int z = 0; z < grid.finalBelow(0); z++) {
            ring.finalizeSlice(z, new int[] {0, 7}, out);
        }
        return out;
    }

    @Test
    void argmaxWritesTheWinningChannelsLabel() {
        LabelVolume out = segment(0);
        for (int i = 0; i < 24; i++) {
            assertEquals(i % 4 >= 2 ? 7 : 0, out.get(i), "voxel " + i);
        }
    }

    /** An output of an x-flipped tile is flipped back: class 1 then wins at x <= 1. */
    @Test
    void mirroredOutputIsFlippedBack() {
        LabelVolume out = segment(1);
        for (int i = 0; i < 24; i++) {
            assertEquals(i % 4 <= 1 ? 7 : 0, out.get(i), "voxel " + i);
        }
    }

    /** Outputs are summed: twice as is plus once flipped is x - 1.5 again; once each cancels to a tie, which class 0 wins. */
    @Test
    void tilesAreSummedAndTiesGoToTheFirstChannel() {
        LabelVolume summed = segment(0, 0, 1);
        LabelVolume tied = segment(0, 1);
        for (int i = 0; i < 24; i++) {
            assertEquals(i % 4 >= 2 ? 7 : 0, summed.get(i), "voxel " + i);
            assertEquals(0, tied.get(i), "voxel " + i);
        }
    }
}
