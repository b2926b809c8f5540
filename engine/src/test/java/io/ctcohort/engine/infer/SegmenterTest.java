package io.ctcohort.engine.infer;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.fasterxml.jackson.databind.JsonNode;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.ModelCard;
import io.ctcohort.engine.model.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Sliding-window correctness with pointwise models: every voxel's logits depend only on its own
 * value, so whatever the tiling, padding, Gaussian weighting and orientation, the label map must
 * equal the per-voxel argmax everywhere. The CT's spacing equals the model's target spacing (after
 * reorientation), so no resampling blurs the comparison.
 */
class SegmenterTest {
    /** pointwise5's patch is 16x12x8 at 1.0 x 1.5 x 2.0 mm (x, y, z). */
    static final int[][] SIZES = {
            {5, 4, 3},      // smaller than the patch on every axis (padded)
            {16, 12, 8},    // exactly the patch
            {37, 29, 21},   // larger: several tiles per axis
            {40, 7, 9},     // larger in x and z, smaller in y
    };

    /**
     * Orientations: voxel axis a runs along world axis |o[a]|-1, backwards if negative. Spacing per
     * voxel axis is chosen so that the canonical spacing is the model's target.
     */
    static final int[][] ORIENTATIONS = {
            {1, 2, 3},      // RAS
            {-1, -2, 3},    // LPS (DICOM-like)
            {3, -1, 2},     // slices first, flipped left-right
            {-2, 3, -1},
            {2, -3, 1},
    };

    /** The pointwise test model most tests segment with (the registry shares its handle), and its class centres. */
    private final Segmenter seg = ModelHandles.open(TestModels.dir("pointwise5")).segmenter(Device.CPU);
    private final double[] centres = centres(seg.card());

    @Test
    void pointwiseModelGivesThePerVoxelResultEverywhereInEveryOrientation() {
        Random rnd = new Random(42);
        for (int[] size : SIZES) {
            for (int[] o : ORIENTATIONS) {
                CtVolume ct = randomCt(size, o, seg.card().targetSpacingMm(), rnd, centres);
                SegmentationResult r = seg.segment(ct);
                LabelVolume labels = r.labels();
                assertEquals(ct.geometry(), labels.geometry(), "labels must be in the CT's own grid");
                int wrong = 0;
                for (int i = 0; i < ct.hu().length; i++) {
                    if (labels.get(i) != pointwise(ct.hu()[i], seg.card(), centres)) {
                        wrong++;
                    }
                }
                assertEquals(0, wrong, "wrong voxels for size " + java.util.Arrays.toString(size)
                        + " orientation " + java.util.Arrays.toString(o));
                assertTrue(labels.maxLabel() >= 3, "the test image must exercise several classes");
                assertEquals(List.of("reorient", "resample", "normalize", "infer", "restore"),
                        new ArrayList<>(r.stageMillis().keySet()));
            }
        }
    }

    /** nnU-Net crops to the box of non-zero voxels: zero-padded planes stay background. */
    @Test
    void zeroPaddedBordersAreCroppedAway() {
        CtVolume ct = randomCt(new int[] {30, 20, 14}, new int[] {-1, 3, 2}, seg.card().targetSpacingMm(),
                new Random(11), centres);
        Geometry g = ct.geometry();
        // zero the first 3 and last 2 voxel planes along x, and the last 4 along z (voxel axes)
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    if (x < 3 || x >= g.nx() - 2 || z >= g.nz() - 4) {
                        ct.hu()[g.index(x, y, z)] = 0;
                    }
                }
            }
        }
        assertEquals(2, pointwise((short) 0, seg.card(), centres), "HU 0 alone would be labelled 2");
        LabelVolume labels = seg.segment(ct).labels();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    boolean outside = x < 3 || x >= g.nx() - 2 || z >= g.nz() - 4;
                    int expected = outside ? 0 : pointwise(ct.hu()[g.index(x, y, z)], seg.card(), centres);
                    assertEquals(expected, labels.get(x, y, z), "voxel " + x + "," + y + "," + z);
                }
            }
        }
    }

    /**
     * nnU-Net's test-time mirroring on a pointwise model: each flipped prediction must be flipped back
     * to the voxel it came from, or labels land on the wrong voxels.
     */
    @Test
    void mirroringFlipsEveryPredictionBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path dir = tmp.resolve("mirrored");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Path src = TestModels.dir("pointwise5");
        java.nio.file.Files.copy(src.resolve("model.onnx"), dir.resolve("model.onnx"));
        String card = java.nio.file.Files.readString(src.resolve("model.json"));
        assertTrue(card.contains("\"mirroring\": false"));
        java.nio.file.Files.writeString(dir.resolve("model.json"), card.replace("\"mirroring\": false", "\"mirroring\": true"));
        Segmenter mirrored = ModelHandles.open(dir).segmenter(Device.CPU);
        assertEquals(Boolean.TRUE, mirrored.card().mirroring());
        assertArrayEquals(new int[] {0, 1, 2}, mirrored.resolved().mirrorAxes(), "no mirror_axes: all three");
        double[] mirroredCentres = centres(mirrored.card());
        Random rnd = new Random(77);
        for (int[] size : new int[][] {{5, 4, 3}, {37, 29, 21}}) {
            for (int batch : new int[] {1, 3}) {
                CtVolume ct = randomCt(size, new int[] {-1, 3, -2}, mirrored.card().targetSpacingMm(), rnd, mirroredCentres);
                LabelVolume labels = mirrored.segment(ct, batch).labels();
                for (int i = 0; i < ct.hu().length; i++) {
                    assertEquals(pointwise(ct.hu()[i], mirrored.card(), mirroredCentres), labels.get(i), "voxel " + i);
                }
            }
        }
    }

    @Test
    void flipIsItsOwnInverse() {
        float[] t = new float[4 * 3 * 2];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        float[] f = new float[t.length];
        float[] back = new float[t.length];
        for (int mask = 1; mask < 8; mask++) {
            Mirroring.flip(t, f, mask, 4, 3, 2);
            assertTrue(!java.util.Arrays.equals(t, f));
            Mirroring.flip(f, back, mask, 4, 3, 2);
            assertArrayEquals(t, back);
        }
        Mirroring.flip(t, f, 1, 4, 3, 2);
        assertEquals(3f, f[0]); // x flipped: (0,0,0) <- (3,0,0)
        Mirroring.flip(t, f, 4, 4, 3, 2);
        assertEquals(12f, f[0]); // z flipped: (0,0,0) <- (0,0,1)
    }

    @Test
    void batchesOfTilesGiveTheSameResult() {
        CtVolume ct = randomCt(new int[] {37, 29, 21}, new int[] {-1, -2, 3}, seg.card().targetSpacingMm(),
                new Random(5), centres);
        LabelVolume one = seg.segment(ct, 1).labels();
        LabelVolume three = seg.segment(ct, 3).labels();
        assertArrayEquals(one.uint8(), three.uint8());
    }

    @Test
    void aModelWithAFixedBatchDimensionGetsThatBatch() {
        Segmenter fixed = ModelHandles.open(TestModels.dir("pointwise5_batch2")).segmenter(Device.CPU);
        double[] centres = centres(fixed.card());
        CtVolume ct = randomCt(new int[] {29, 12, 21}, new int[] {2, -3, 1}, fixed.card().targetSpacingMm(),
                new Random(8), centres);
        LabelVolume labels = fixed.segment(ct, 1).labels(); // batch 1 asked, 2 used; 3 tiles per z slab, so every slab ends with a half-empty batch
        for (int i = 0; i < ct.hu().length; i++) {
            assertEquals(pointwise(ct.hu()[i], fixed.card(), centres), labels.get(i), "voxel " + i);
        }
    }

    /** TotalSegmentator's merge: each part's non-background labels overwrite earlier parts'. */
    @Test
    void partsRunOnTheSameImageAndMergeInOrder() {
        Segmenter parts = ModelHandles.open(TestModels.dir("pointwise_parts")).segmenter(Device.CPU);
        ModelCard.Normalization n = parts.card().normalization();
        double[] a = normalized(new double[] {-1000, -100, 40, 1000}, n); // part_a -> labels 0, 1, 2, 4
        double[] b = normalized(new double[] {-1000, 300, 1000}, n);       // part_b -> labels 0, 3, 5
        int[] aLabels = {0, 1, 2, 4};
        int[] bLabels = {0, 3, 5};
        CtVolume ct = randomCt(new int[] {37, 29, 21}, new int[] {3, -1, 2}, parts.card().targetSpacingMm(),
                new Random(9), normalized(new double[] {-1000, -100, 40, 300, 1000}, n));
        LabelVolume labels = parts.segment(ct).labels();
        int seenOverwrite = 0;
        for (int i = 0; i < ct.hu().length; i++) {
            float v = Preprocessing.normalizeValue(ct.hu()[i], n);
            int la = aLabels[nearest(v, a)];
            int lb = bLabels[nearest(v, b)];
            int expected = lb != 0 ? lb : la;
            if (lb != 0 && la != 0) {
                seenOverwrite++;
            }
            assertEquals(expected, labels.get(i), "voxel " + i + " HU " + ct.hu()[i]);
        }
        assertTrue(seenOverwrite > 0, "the image must contain voxels both parts claim");
    }

    @Test
    void resamplingRoundTripKeepsLabelsOfLargeUniformRegions() {
        // CT at 0.5 x 0.75 x 1 mm, model at 1 x 1.5 x 2 mm: blocks of 8 voxels per axis keep their class
        // away from block edges after resampling down and nearest-neighbour back.
        double[] hu = {-1000, -100, 40, 300, 1000};
        int nx = 48, ny = 40, nz = 32;
        Geometry g = Geometry.axisAligned(nx, ny, nz, 0.5, 0.75, 1.0);
        short[] v = new short[(int) g.voxelCount()];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    v[g.index(x, y, z)] = (short) hu[(x / 8 + y / 8 + z / 8) % 5];
                }
            }
        }
        SegmentationResult r = seg.segment(new CtVolume(g, v));
        int checked = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    if (x % 8 < 2 || x % 8 > 5 || y % 8 < 2 || y % 8 > 5 || z % 8 < 2 || z % 8 > 5) {
                        continue;
                    }
                    assertEquals((x / 8 + y / 8 + z / 8) % 5, r.labels().get(x, y, z), "voxel " + x + "," + y + "," + z);
                    checked++;
                }
            }
        }
        assertTrue(checked > 1000);
    }

    /** Resampling reads the CT through its canonical view: any storage order gives the same labels. */
    @Test
    void resamplingIsIndependentOfTheStorageOrientation() {
        Random rnd = new Random(21);
        for (int[] o : ORIENTATIONS) {
            // canonical spacing 0.7 x 1.1 x 1.7 mm against the model's 1.0 x 1.5 x 2.0: every axis resampled
            CtVolume stored = randomCt(new int[] {23, 19, 15}, o, new double[] {0.7, 1.1, 1.7}, rnd, centres);
            io.ctcohort.engine.image.Reorientation ro = io.ctcohort.engine.image.Reorientation.toCanonical(stored.geometry());
            CtVolume canonical = ro.apply(stored);
            LabelVolume fromStored = seg.segment(stored).labels();
            LabelVolume fromCanonical = seg.segment(canonical).labels();
            assertEquals(stored.geometry(), fromStored.geometry());
            assertArrayEquals(fromCanonical.uint8(), ro.canonicalView().copy(fromStored.uint8()),
                    "orientation " + java.util.Arrays.toString(o));
        }
    }

    @Test
    void missingCudaProviderIsAClearError() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA");
        ModelHandle handle = ModelHandles.open(TestModels.dir("pointwise5"));
        CtCohortException e = assertThrows(CtCohortException.class, () -> handle.segmenter(Device.parse("cuda:0")));
        assertTrue(e.getMessage().contains("CUDA") && e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    /** One shared session and buffer pool: concurrent exams give the same labels as one at a time. */
    @Test
    void concurrentSegmentationsAgreeWithSequentialOnes() throws Exception {
        List<CtVolume> cts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            cts.add(randomCt(new int[] {33 + i, 25, 17}, ORIENTATIONS[i % ORIENTATIONS.length],
                    seg.card().targetSpacingMm(), new Random(100 + i), centres));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<LabelVolume>> futures = new ArrayList<>();
            for (CtVolume ct : cts) {
                futures.add(pool.submit(() -> seg.segment(ct).labels()));
            }
            for (int i = 0; i < cts.size(); i++) {
                assertArrayEquals(seg.segment(cts.get(i)).labels().uint8(), futures.get(i).get().uint8());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The card's mirror_axes choose the flips: x and z only still give every voxel its own label back. */
    @Test
    void mirrorAxesFromTheCard(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path src = TestModels.dir("pointwise5");
        java.nio.file.Files.copy(src.resolve("model.onnx"), tmp.resolve("model.onnx"));
        java.nio.file.Files.writeString(tmp.resolve("model.json"), java.nio.file.Files.readString(src.resolve("model.json"))
                .replace("\"mirroring\": false", "\"mirroring\": true, \"mirror_axes\": [2, 0]"));
        Segmenter xz = ModelHandles.open(tmp).segmenter(Device.CPU);
        assertArrayEquals(new int[] {2, 0}, xz.resolved().mirrorAxes());
        double[] c = centres(xz.card());
        CtVolume ct = randomCt(new int[] {37, 29, 21}, new int[] {-1, 3, -2}, xz.card().targetSpacingMm(), new Random(78), c);
        LabelVolume labels = xz.segment(ct).labels();
        for (int i = 0; i < ct.hu().length; i++) {
            assertEquals(pointwise(ct.hu()[i], xz.card(), c), labels.get(i), "voxel " + i);
        }
        java.nio.file.Files.writeString(tmp.resolve("model.json"), java.nio.file.Files.readString(src.resolve("model.json"))
                .replace("\"mirroring\": false", "\"mirroring\": true, \"mirror_axes\": [0, 3]"));
        CtCohortException e = assertThrows(CtCohortException.class, () -> io.ctcohort.engine.model.ModelDirectory.load(tmp));
        assertTrue(e.getMessage().contains("mirror_axes [0, 3]") && e.getMessage().contains("model.json"), e.getMessage());
    }

    /** A card naming a tensor the model lacks fails the signature check on every call, not just the first. */
    @Test
    void aCardNamingAWrongInputFailsOnEveryCall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path src = TestModels.dir("pointwise5");
        java.nio.file.Files.copy(src.resolve("model.onnx"), tmp.resolve("model.onnx"));
        String card = java.nio.file.Files.readString(src.resolve("model.json"));
        java.nio.file.Files.writeString(tmp.resolve("model.json"),
                card.replace("\"input_name\": \"input\"", "\"input_name\": \"no_such_input\""));
        Segmenter wrongInput = ModelHandles.open(tmp).segmenter(Device.CPU);
        CtVolume ct = CtVolume.allocate(Geometry.axisAligned(16, 12, 8, 1.0, 1.5, 2.0));
        for (int call = 0; call < 2; call++) {
            CtCohortException e = assertThrows(CtCohortException.class, () -> wrongInput.segment(ct));
            assertTrue(e.getMessage().contains("no_such_input") && e.getMessage().contains("model card names"),
                    "call " + call + ": " + e.getMessage());
        }
    }

    @Test
    void oneSegmenterPerModelAndDevice() {
        assertTrue(ModelHandles.open(TestModels.dir("pointwise5")).segmenter(Device.CPU)
                == ModelHandles.open(TestModels.dir("pointwise5")).segmenter(Device.parse("cpu")));
    }

    // ---- helpers

    static double[] centres(ModelCard card) {
        JsonNode hu = card.training().get("hu_centers");
        double[] c = new double[hu.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = hu.get(i).asDouble();
        }
        return normalized(c, card.normalization());
    }

    static double[] normalized(double[] hu, ModelCard.Normalization n) {
        double[] c = new double[hu.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (hu[i] - n.mean()) / n.std();
        }
        return c;
    }

    static int pointwise(short hu, ModelCard card, double[] centres) {
        return nearest(Preprocessing.normalizeValue(hu, card.normalization()), centres);
    }

    static int nearest(double v, double[] centres) {
        int best = 0;
        for (int k = 1; k < centres.length; k++) {
            if (Math.abs(v - centres[k]) < Math.abs(v - centres[best])) {
                best = k;
            }
        }
        return best;
    }

    /**
     * A CT whose voxels lie near the class centres (never near a decision boundary), plus a few
     * values beyond the clip range. Canonical dims = size; voxel axes follow orientation o.
     */
    static CtVolume randomCt(int[] size, int[] o, double[] target, Random rnd, double[] centresNorm) {
        int[] dims = new int[3];
        double[] a = new double[16];
        double[] sp = new double[3];
        for (int v = 0; v < 3; v++) {
            int w = Math.abs(o[v]) - 1;
            dims[v] = size[w];
            sp[v] = target[w];
            a[4 * w + v] = Math.signum(o[v]) * target[w];
            a[4 * w + 3] = 10 * (w + 1);
        }
        a[15] = 1;
        Geometry g = new Geometry(dims[0], dims[1], dims[2], a, sp);
        short[] hu = new short[(int) g.voxelCount()];
        for (int i = 0; i < hu.length; i++) {
            int roll = rnd.nextInt(100);
            if (roll == 0) {
                hu[i] = -3000;
            } else if (roll == 1) {
                hu[i] = 3000;
            } else {
                double c = centresNorm[rnd.nextInt(centresNorm.length)] * 50 + 100; // back to HU (mean 100, std 50)
                hu[i] = (short) Math.max(-1024, Math.round(c + rnd.nextInt(41) - 20));
            }
        }
        return new CtVolume(g, hu);
    }
}
