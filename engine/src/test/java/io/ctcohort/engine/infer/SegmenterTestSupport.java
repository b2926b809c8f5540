package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.model.ModelCard;

import java.util.Random;

/** Pointwise-model helpers shared with tests in other packages. */
public final class SegmenterTestSupport {
    private SegmenterTestSupport() {
    }

    public static double[] centres(ModelCard card) {
        return SegmenterTest.centres(card);
    }

    public static int pointwise(short hu, ModelCard card, double[] centres) {
        return SegmenterTest.pointwise(hu, card, centres);
    }

    public static CtVolume randomCt(int[] size, int[] o, double[] target, Random rnd, double[] centresNorm) {
        return SegmenterTest.randomCt(size, o, target, rnd, centresNorm);
    }
}
