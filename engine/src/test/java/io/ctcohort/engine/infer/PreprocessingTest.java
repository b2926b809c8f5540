package io.ctcohort.engine.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.model.ModelCard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PreprocessingTest {

    @Test
    void shapeIsRoundHalfEvenOfSpacingRatioTimesSize() {
        assertArrayEquals(new int[] {273, 273, 600},
                Preprocessing.resampledShape(new int[] {512, 512, 900}, new double[] {0.8, 0.8, 1.0},
                        new double[] {1.5, 1.5, 1.5}));
        // 2.5 rounds to 2 and 3.5 to 4 (Python's round)
        assertArrayEquals(new int[] {2, 4, 6},
                Preprocessing.resampledShape(new int[] {5, 7, 6}, new double[] {1, 1, 3},
                        new double[] {2, 2, 3}));
    }

    /** Fixture: nnU-Net's order (clip, z-score in float32, skimage resize order 1), computed with scipy. */
    @Test
    void clipResampleNormalizeEqualsNnUnet() throws IOException {
        JsonNode f;
        try (InputStream in = getClass().getResourceAsStream("/preprocessing/nnunet_resample.json")) {
            f = new ObjectMapper().readTree(in);
        }
        int[] dims = ints(f.get("dims"));
        double[] sp = doubles(f.get("spacing"));
        short[] hu = new short[dims[0] * dims[1] * dims[2]];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) f.get("hu_x_fastest").get(i).asInt();
        }
        CtVolume ct = new CtVolume(Geometry.axisAligned(dims[0], dims[1], dims[2], sp[0], sp[1], sp[2]), hu);
        int[] out = Preprocessing.resampledShape(dims, sp, doubles(f.get("target")));
        assertArrayEquals(ints(f.get("out_dims")), out);
        ModelCard.Normalization n = new ModelCard.Normalization("ct", f.get("clip").get(0).asDouble(),
                f.get("clip").get(1).asDouble(), f.get("mean").asDouble(), f.get("std").asDouble());
        float[] v = Preprocessing.clipAndResample(ct, out, 1, n.clipLow(), n.clipHigh());
        Preprocessing.normalize(v, n);
        JsonNode expected = f.get("expected_x_fastest");
        assertEquals(expected.size(), v.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(expected.get(i).asDouble(), v[i], 1e-5, "voxel " + i);
        }
    }

    @Test
    void unchangedShapeIsClipAndZScoreOnly() {
        short[] hu = {-3000, -1024, 0, 40, 1500, 2000, 100, 150};
        CtVolume ct = new CtVolume(Geometry.axisAligned(2, 2, 2, 1, 1, 1), hu);
        ModelCard.Normalization n = new ModelCard.Normalization("ct", -1024, 1500, 100, 50);
        float[] v = Preprocessing.clipAndResample(ct, new int[] {2, 2, 2}, 1, -1024, 1500);
        Preprocessing.normalize(v, n);
        float[] expected = {(-1024f - 100f) / 50f, (-1024f - 100f) / 50f, -2f, -1.2f, 28f, 28f, 0f, 1f};
        assertArrayEquals(expected, v, 1e-6f);
        for (int i = 0; i < hu.length; i++) {
            assertEquals(Preprocessing.normalizeValue(hu[i], n), v[i]);
        }
    }

    @Test
    void nearestBackInvertsTheForwardMapping() {
        // model voxel of original voxel i: floor((i + 0.5) * m / n - 0.5 + 0.5), ties upward
        assertArrayEquals(new int[] {0, 1, 1, 2, 3, 3}, Preprocessing.nearestBack(6, 4));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Preprocessing.nearestBack(4, 4));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, Preprocessing.nearestBack(6, 2));
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    private static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asDouble();
        }
        return r;
    }
}
