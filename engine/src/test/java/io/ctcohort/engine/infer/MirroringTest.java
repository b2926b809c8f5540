package io.ctcohort.engine.infer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The flips per tile follow nnU-Net's itertools.combinations order over the card's mirror axes. */
class MirroringTest {
    @Test
    void masksAreTheCombinationsOfTheAxesInNnUnetOrder() {
        assertArrayEquals(new int[] {0}, Mirroring.masks(new int[0]));
        assertArrayEquals(new int[] {0, 1, 2, 4, 3, 5, 6, 7}, Mirroring.masks(new int[] {0, 1, 2}));
        assertArrayEquals(new int[] {0, 1, 4, 5}, Mirroring.masks(new int[] {2, 0}), "x and z only");
        assertArrayEquals(new int[] {0, 2}, Mirroring.masks(new int[] {1}));
    }
}
