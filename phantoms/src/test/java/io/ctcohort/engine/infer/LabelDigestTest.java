package io.ctcohort.engine.infer;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.phantom.PhantomGenerator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled demo model's label maps, byte for byte, as the engine produced them before the model
 * handle (digests computed with the code of commit bafbf9c, Segmenter.forModel): a change
 * in how the card, sessions or tensors are held must not change one label. The phantom's digest was
 * computed again, when the phantoms gained contrast phase and bone cortex, with that
 * same bafbf9c segmenter on the new phantom: the new code gives the same bytes.
 *
 * <p>The digests are of tile step 0.5, the card's step when they were computed; the card's step has
 * since changed (the demo's speed, docs/DESIGN.md), so the model runs here from a copy of its
 * directory whose card says 0.5, and the digests keep checking the same computation.
 */
class LabelDigestTest {
    /** The tile step the digests were computed at. */
    static final double PINNED_TILE_STEP = 0.5;
    static final String PHANTOM_314159_0 = "f41dc76bcd4b3ff36824fa5c564c2bbe2983c661efa9de6f05e385b3ed132f68";
    static final String EXAMPLE_CT_SM = "ca8ff939fde4ccfa31d0030d5212446b51a1ad82c7f5e8e92a11363857a5b2f1";

    @Test
    void aPhantomSegmentsToTheSameBytes() throws Exception {
        CtVolume ct = new PhantomGenerator(314159).generate(0).ct();
        assertEquals(PHANTOM_314159_0, sha256(segment(ct)));
    }

    @Test
    void totalSegmentatorsExampleSegmentsToTheSameBytes() throws Exception {
        CtVolume ct = NiftiReader.read(TestData.totalSegmentator("example_ct_sm.nii.gz")).toCt();
        assertEquals(EXAMPLE_CT_SM, sha256(segment(ct)));
    }

    private static LabelVolume segment(CtVolume ct) throws Exception {
        LabelVolume labels;
        try (ModelHandle h = ModelHandle.open(demoAtPinnedStep(), OrtSettings.UNSET)) {
            assertEquals(PINNED_TILE_STEP, h.card().tileStep());
            labels = h.segmenter(Device.CPU).segment(ct).labels();
        }
        assertTrue(labels.maxLabel() > 0, "the digest is of a map with structures in it");
        return labels;
    }

    /** A copy of the bundled demo model whose card sets tile_step to {@link #PINNED_TILE_STEP}. */
    static synchronized Path demoAtPinnedStep() throws Exception {
        if (pinnedDir == null) {
            Path src = BundledModels.demo();
            Path dir = Files.createTempDirectory("ctcohort-demo-step05");
            dir.toFile().deleteOnExit(); // after its files (deleteOnExit runs in reverse order)
            ObjectMapper json = new ObjectMapper();
            ObjectNode card = (ObjectNode) json.readTree(src.resolve("model.json").toFile());
            card.put("tile_step", PINNED_TILE_STEP);
            String onnx = card.get("onnx_file").asText();
            for (String f : new String[] {"model.json", onnx}) {
                dir.resolve(f).toFile().deleteOnExit();
            }
            json.writeValue(dir.resolve("model.json").toFile(), card);
            Files.copy(src.resolve(onnx), dir.resolve(onnx));
            pinnedDir = dir;
        }
        return pinnedDir;
    }

    private static Path pinnedDir;

    /** SHA-256 of the label array: uint8 as is, uint16 little-endian. */
    static String sha256(LabelVolume v) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (v.isUInt8()) {
            md.update(v.uint8());
        } else {
            ByteBuffer b = ByteBuffer.allocate(v.uint16().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.asShortBuffer().put(v.uint16());
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
