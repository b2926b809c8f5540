package io.ctcohort.engine.infer;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.phantom.PhantomGenerator;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 */
class LabelDigestTest {
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

    private static LabelVolume segment(CtVolume ct) {
        LabelVolume labels = ModelHandles.open(BundledModels.demo()).segmenter(Device.CPU).segment(ct).labels();
        assertTrue(labels.maxLabel() > 0, "the digest is of a map with structures in it");
        return labels;
    }

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
