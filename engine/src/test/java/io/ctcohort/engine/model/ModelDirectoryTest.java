package io.ctcohort.engine.model;

import io.ctcohort.core.CtCohortException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ctcohort.engine.TestFiles.copy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDirectoryTest {

    @Test
    void readsTheCard() {
        ModelDirectory m = ModelDirectory.load(TestModels.dir("pointwise5"));
        ModelCard c = m.card();
        assertEquals("pointwise5", c.id());
        assertArrayEquals(new int[] {16, 12, 8}, c.patchSize());
        assertArrayEquals(new double[] {1.0, 1.5, 2.0}, c.targetSpacingMm());
        ResolvedCard r = m.resolved();
        assertEquals(0.5, r.tileStep());
        assertEquals(1, r.resamplingOrder());
        assertEquals(ModelCard.LabelResampling.NEAREST, r.labelResampling());
        assertArrayEquals(new int[0], r.mirrorAxes(), "mirroring false: no flips");
        assertEquals(-1024.0, c.normalization().clipLow());
        assertEquals(50.0, c.normalization().std());
        assertEquals("liver", m.labels().get(2));
        assertEquals(4, m.maxLabel());
        assertEquals(1, m.parts().size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, m.parts().get(0).channelToLabel());
        assertEquals(ModelDirectory.sha256(m.parts().get(0).onnxFile()), c.sha256());
    }

    @Test
    void mapsPartChannelsToTheMergedLabelsByName() {
        ModelDirectory m = ModelDirectory.load(TestModels.dir("pointwise_parts"));
        assertEquals(2, m.parts().size());
        // part_a: 1 subcutaneous_fat, 2 liver, 3 femur_left; part_b: 1 aorta, 2 sacrum
        assertArrayEquals(new int[] {0, 1, 2, 4}, m.parts().get(0).channelToLabel());
        assertArrayEquals(new int[] {0, 3, 5}, m.parts().get(1).channelToLabel());
        assertEquals("sacrum", m.labels().get(5));
        assertEquals(0.8, m.resolved().tileStep());
    }

    @Test
    void shaMismatchNamesFileAndBothHashes(@TempDir Path tmp) throws IOException {
        Path dir = copy(TestModels.dir("pointwise5"), tmp.resolve("m"));
        String expected = ModelDirectory.sha256(dir.resolve("model.onnx"));
        byte[] onnx = Files.readAllBytes(dir.resolve("model.onnx"));
        onnx[onnx.length - 3] ^= 1;
        Files.write(dir.resolve("model.onnx"), onnx);
        String actual = ModelDirectory.sha256(dir.resolve("model.onnx"));
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("model.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(actual), e.getMessage());
    }

    @Test
    void shaMismatchInOnePartNamesThatPart(@TempDir Path tmp) throws IOException {
        Path dir = copy(TestModels.dir("pointwise_parts"), tmp.resolve("m"));
        Files.write(dir.resolve("part_b.onnx"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("part_b.onnx"), e.getMessage());
    }

    @Test
    void missingHashIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = copy(TestModels.dir("pointwise5"), tmp.resolve("m"));
        Path card = dir.resolve("model.json");
        Files.writeString(card, Files.readString(card).replaceAll("\"sha256\": \"[0-9a-f]+\",", ""));
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("no sha256"), e.getMessage());
    }

    @Test
    void badCardsNameTheCardAndTheProblem(@TempDir Path tmp) throws IOException {
        CtCohortException missing = assertThrows(CtCohortException.class, () -> ModelDirectory.load(tmp));
        assertTrue(missing.getMessage().contains(tmp.resolve("model.json").toString()), missing.getMessage());

        Path dir = copy(TestModels.dir("pointwise5"), tmp.resolve("m"));
        Path card = dir.resolve("model.json");
        String good = Files.readString(card);
        Files.writeString(card, good.replace("\"patch_size\": [\n    16,", "\"patch_size\": [\n    0,"));
        CtCohortException e = assertThrows(CtCohortException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("patch_size") && e.getMessage().contains(card.toString()), e.getMessage());

        Files.writeString(card, good.replace("\"resampling_order\": 1", "\"resampling_order\": 3"));
        e = assertThrows(CtCohortException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("resampling_order 3"), e.getMessage());

        Files.writeString(card, good.replace("\"resampling_order\": 1", "\"resampling_order\": 1, \"label_resampling\": \"cubic\""));
        e = assertThrows(CtCohortException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("label_resampling 'cubic'") && e.getMessage().contains(card.toString()), e.getMessage());

        Files.writeString(card, good.replace("\"tile_step\": 0.5", "\"tile_step\": 0.005"));
        e = assertThrows(CtCohortException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("tile_step") && e.getMessage().contains("0.005"), e.getMessage());

        Files.writeString(card, good.replace("\"2\": \"liver\",", "\"2\": \"liver\",\n    \"02\": \"kidney_left\","));
        e = assertThrows(CtCohortException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("key 2 is given twice") && e.getMessage().contains("kidney_left"),
                e.getMessage());

        Files.writeString(card, "{ not json");
        e = assertThrows(CtCohortException.class, () -> ModelDirectory.load(dir));
        assertTrue(e.getMessage().contains("not a valid model card"), e.getMessage());
    }

    @Test
    void bundledDemoModelLoadsOrItsAbsenceIsClear() {
        if (BundledModels.class.getResource(BundledModels.DEMO_RESOURCE + "model.json") == null) {
            CtCohortException e = assertThrows(CtCohortException.class, BundledModels::demo);
            assertTrue(e.getMessage().contains("bundled model absent"), e.getMessage());
        } else {
            Path dir = BundledModels.demo();
            assertEquals(dir, BundledModels.demo(), "extracted once per JVM");
            assertTrue(ModelDirectory.load(dir).maxLabel() > 0);
        }
    }
}
