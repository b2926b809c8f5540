package io.ctcohort.engine.infer;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.ModelCard;
import io.ctcohort.engine.model.TestModels;
import io.ctcohort.engine.nifti.NiftiReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TotalSegmentator's real 3 mm example CT through the 118-class pointwise model at 3 mm (no
 * resampling): every voxel gets the per-voxel argmax. Classes are only 21 HU apart, so voxels whose
 * two best float32 logits lie within rounding of each other are reported, not judged.
 */
class RealCtTest {

    @Test
    void realCtThroughThe118ClassModelEqualsThePerVoxelArgmax() {
        Path ref = Paths.get(System.getProperty("ctcohort.reference", "../../shared/reference"));
        Path file = ref.resolve("totalsegmentator/example_ct_sm.nii.gz");
        assumeTrue(Files.exists(file), "reference data absent: " + file);
        CtVolume ct = NiftiReader.read(file).toCt();
        Segmenter seg = ModelHandles.open(TestModels.dir("pointwise118_3mm")).segmenter(Device.CPU);
        ModelCard card = seg.card();
        JsonNode hu = card.training().get("hu_centers");
        int k = hu.size();
        float[] w = new float[k];
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            double centre = (hu.get(c).asDouble() - card.normalization().mean()) / card.normalization().std();
            w[c] = (float) (2 * centre);
            b[c] = (float) (-(centre * centre));
        }
        LabelVolume labels = seg.segment(ct).labels();
        assertEquals(ct.geometry(), labels.geometry());
        int ties = 0;
        int distinct = 0;
        boolean[] seen = new boolean[k];
        for (int i = 0; i < ct.hu().length; i++) {
            float v = Preprocessing.normalizeValue(ct.hu()[i], card.normalization());
            int best = 0;
            float bestLogit = w[0] * v + b[0];
            float second = Float.NEGATIVE_INFINITY;
            for (int c = 1; c < k; c++) {
                float l = w[c] * v + b[c];
                if (l > bestLogit) {
                    second = bestLogit;
                    bestLogit = l;
                    best = c;
                } else if (l > second) {
                    second = l;
                }
            }
            if (bestLogit - second < 1e-5f * Math.max(1f, Math.abs(bestLogit))) {
                ties++;
                continue;
            }
            assertEquals(best, labels.get(i), "voxel " + i + " HU " + ct.hu()[i]);
            if (!seen[best]) {
                seen[best] = true;
                distinct++;
            }
        }
        System.out.println("real CT: " + ct.hu().length + " voxels, " + distinct + " classes, " + ties
                + " near-ties not judged");
        // integer HU values can sit (almost) exactly between two centres 21.37 HU apart
        assertTrue(ties < ct.hu().length / 100, "too many near-ties: " + ties);
        assertTrue(distinct > 50, "the real CT must exercise many classes, got " + distinct);
    }
}
