package io.ctcohort.engine.nifti;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads TotalSegmentator's real test files and checks geometry and voxels against values printed
 * once by nibabel 5.4.2 / numpy 2.4.6 (np.asanyarray(img.dataobj), img.affine):
 * <pre>
 *   example_ct.nii.gz      int32 122x101x112, sum -496851173, [0,0,0]=-1023, [60,50,56]=281,
 *                          [121,100,111]=-997, min -1207, max 3382
 *   example_ct_sm.nii.gz   int16 122x101x30,  sum -130894872, [60,50,15]=-17, min -1100, max 1207
 *   example_seg_fast.nii.gz uint8 122x101x30, sum 2777948, max 117 (vox_offset 13168: has extensions)
 *   affine (all three) [[3,0,0,-177.95632934570312],[0,3,0,11.319000244140625],[0,0,3,94.3017578125],[0,0,0,1]]
 * </pre>
 */
class NiftiReferenceFilesTest {
    static final double[] AFFINE = {
        3, 0, 0, -177.95632934570312,
        0, 3, 0, 11.319000244140625,
        0, 0, 3, 94.3017578125,
        0, 0, 0, 1};

    @Test
    void int32CtWithSformOnlyHasNibabelsAffineAndValues() {
        NiftiImage img = NiftiReader.read(TestData.totalSegmentator("example_ct.nii.gz"));
        assertEquals(NiftiDataType.INT32, img.datatype());
        assertEquals(0, img.header().qformCode());
        assertTrue(img.header().sformCode() > 0);
        Geometry g = img.geometry();
        assertArrayEquals(new int[] {122, 101, 112}, g.dims());
        assertArrayEquals(AFFINE, g.affine(), 0.0);
        assertArrayEquals(new double[] {3, 3, 3}, g.spacing(), 0.0);
        CtVolume ct = img.toCt();
        assertEquals(-496851173L, sum(ct.hu()));
        assertEquals(-1023, ct.get(0, 0, 0));
        assertEquals(281, ct.get(60, 50, 56));
        assertEquals(-997, ct.get(121, 100, 111));
    }

    @Test
    void int16CtAndUint8SegWithExtensions() throws Exception {
        NiftiImage ctImg = NiftiReader.read(TestData.totalSegmentator("example_ct_sm.nii.gz"));
        assertEquals(NiftiDataType.INT16, ctImg.datatype());
        CtVolume ct = ctImg.toCt();
        assertEquals(-130894872L, sum(ct.hu()));
        assertEquals(-17, ct.get(60, 50, 15));
        assertArrayEquals(AFFINE, ct.geometry().affine(), 0.0);

        // through a plain InputStream, as the pipeline hands S3/HDFS streams
        try (InputStream in = Files.newInputStream(TestData.totalSegmentator("example_seg_fast.nii.gz"))) {
            NiftiImage segImg = NiftiReader.read(in, "example_seg_fast.nii.gz");
            assertEquals(13168, segImg.header().voxOffset());
            LabelVolume seg = segImg.toLabels();
            assertTrue(seg.isUInt8());
            long s = 0;
            for (int i = 0; i < seg.geometry().voxelCount(); i++) {
                s += seg.get(i);
            }
            assertEquals(2777948L, s);
            assertEquals(117, seg.maxLabel());
            assertEquals(ct.geometry(), seg.geometry());
        }
    }

    static long sum(short[] a) {
        long s = 0;
        for (short v : a) {
            s += v;
        }
        return s;
    }
}
