package io.ctcohort.engine.infer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TileGridTest {

    /** An image smaller than the patch on y and z is padded centred (below = diff // 2), virtually, with 0. */
    @Test
    void padsCentredAndFillsZeroOutsideTheImage() {
        TileGrid g = TileGrid.of(6, 2, 1, new int[] {4, 5, 4}, 0.5);
        assertArrayEquals(new int[] {6, 5, 4}, new int[] {g.bx, g.by, g.bz});
        assertArrayEquals(new int[] {0, 1, 1}, new int[] {g.lx, g.ly, g.lz});
        assertArrayEquals(new int[] {0, 2}, g.xs); // n = ceil((6 - 4) / 2) + 1
        assertArrayEquals(new int[] {0}, g.ys);
        assertArrayEquals(new int[] {0}, g.zs);
        assertEquals(4, g.finalBelow(0));

        float[] image = new float[6 * 2];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        float[] tile = new float[g.tileVoxels()];
        java.util.Arrays.fill(tile, -1f);
        g.fill(image, 2, 0, 0, tile);
        for (int tz = 0; tz < 4; tz++) {
            for (int ty = 0; ty < 5; ty++) {
                for (int tx = 0; tx < 4; tx++) {
                    int x = 2 + tx - g.lx;
                    int y = ty - g.ly;
                    int z = tz - g.lz;
                    boolean inside = z == 0 && y >= 0 && y < 2 && x < 6;
                    assertEquals(inside ? image[x + 6 * y] : 0f, tile[(tz * 5 + ty) * 4 + tx], tx + "," + ty + "," + tz);
                }
            }
        }
    }

    /** Slices below the next slab's start are final after a slab; the last slab finalizes the rest. */
    @Test
    void slicesBecomeFinalSlabBySlab() {
        TileGrid g = TileGrid.of(8, 8, 20, new int[] {8, 8, 8}, 0.5);
        assertArrayEquals(new int[] {0, 4, 8, 12}, g.zs);
        assertEquals(4, g.finalBelow(0));
        assertEquals(12, g.finalBelow(2));
        assertEquals(20, g.finalBelow(3));
    }
}
