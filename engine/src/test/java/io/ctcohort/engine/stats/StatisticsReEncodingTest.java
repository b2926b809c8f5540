package io.ctcohort.engine.stats;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiDataType;
import io.ctcohort.engine.nifti.NiftiImage;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriteOptions;
import io.ctcohort.engine.nifti.NiftiWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The example exam written back by our writer in other encodings, read again: every statistic of
 * every structure must be the same as from the original files.
 */
class StatisticsReEncodingTest {
    static ExampleExam exam;
    static List<StructureStatistics> original;

    @BeforeAll
    static void load() {
        exam = ExampleExam.load();
        original = StatisticsCalculator.compute(exam.ct(), exam.seg(), LabelMap.total());
    }

    @TempDir
    Path dir;

    private List<StructureStatistics> statsOf(CtVolume ct, NiftiWriteOptions ctOpts, LabelVolume seg,
                                              NiftiWriteOptions segOpts, String name) {
        Path ctFile = dir.resolve(name + "_ct.nii" + (Boolean.FALSE.equals(ctOpts.gzip()) ? "" : ".gz"));
        Path segFile = dir.resolve(name + "_seg.nii" + (Boolean.FALSE.equals(segOpts.gzip()) ? "" : ".gz"));
        NiftiWriter.write(ct, ctOpts, ctFile);
        NiftiWriter.write(seg, segOpts, segFile);
        NiftiImage ctImg = NiftiReader.read(ctFile);
        NiftiImage segImg = NiftiReader.read(segFile);
        return StatisticsCalculator.compute(ctImg.toCt(), segImg.toLabels(), LabelMap.total());
    }

    private void assertSameStatistics(NiftiWriteOptions ctOpts, NiftiWriteOptions segOpts, String name) {
        assertEquals(original, statsOf(exam.ct(), ctOpts, exam.seg(), segOpts, name), name);
    }

    static NiftiWriteOptions o() {
        return NiftiWriteOptions.defaults();
    }

    @Test
    void scaledInt16() {
        // HU = stored * 0.5 - 1024: every HU of this exam (-1100..1207) is exactly representable
        assertSameStatistics(o().scaling(0.5, -1024), o(), "scaled");
    }

    @Test
    void float32CtAndFloat32Seg() {
        assertSameStatistics(o().datatype(NiftiDataType.FLOAT32), o().datatype(NiftiDataType.FLOAT32), "float32");
    }

    @Test
    void int32CtAndInt16SegUncompressed() {
        assertSameStatistics(o().datatype(NiftiDataType.INT32).gzip(false),
                o().datatype(NiftiDataType.INT16).gzip(false), "uncompressed");
    }

    @Test
    void nifti2() {
        assertSameStatistics(o().version(2), o().version(2).datatype(NiftiDataType.UINT16), "nifti2");
    }

    @Test
    void qformOnly() {
        assertSameStatistics(o().forms(false, true), o().forms(false, true), "qform");
    }

    @Test
    void bigEndianFloat64Scaled() {
        assertSameStatistics(o().byteOrder(ByteOrder.BIG_ENDIAN).datatype(NiftiDataType.FLOAT64).scaling(2, 1),
                o().byteOrder(ByteOrder.BIG_ENDIAN), "bigendian");
    }

    /** New axis k is old axis perm[k], reversed when flip[k]; the affine is adjusted so world positions stay. */
    static Geometry permuted(Geometry g, int[] perm, boolean[] flip) {
        int[] od = g.dims();
        int[] nd = {od[perm[0]], od[perm[1]], od[perm[2]]};
        double[] a = g.affine();
        double[] sp = g.spacing();
        // M maps new index to old index: old[perm[k]] = flip[k] ? nd[k] - 1 - i_k : i_k
        double[] m = new double[16];
        m[15] = 1;
        for (int k = 0; k < 3; k++) {
            m[4 * perm[k] + k] = flip[k] ? -1 : 1;
            m[4 * perm[k] + 3] = flip[k] ? nd[k] - 1 : 0;
        }
        double[] na = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                for (int k = 0; k < 4; k++) {
                    na[4 * r + c] += a[4 * r + k] * m[4 * k + c];
                }
            }
        }
        return new Geometry(nd[0], nd[1], nd[2], na, new double[] {sp[perm[0]], sp[perm[1]], sp[perm[2]]});
    }

    static int oldIndex(Geometry g, Geometry ng, int[] perm, boolean[] flip, int i0, int i1, int i2) {
        int[] o = new int[3];
        int[] i = {i0, i1, i2};
        int[] nd = ng.dims();
        for (int k = 0; k < 3; k++) {
            o[perm[k]] = flip[k] ? nd[k] - 1 - i[k] : i[k];
        }
        return g.index(o[0], o[1], o[2]);
    }

    @Test
    void otherOrientation() {
        int[] perm = {2, 0, 1};
        boolean[] flip = {true, false, true};
        Geometry g = exam.ct().geometry();
        Geometry ng = permuted(g, perm, flip);
        CtVolume ct = CtVolume.allocate(ng);
        LabelVolume seg = LabelVolume.allocate(ng, 255);
        for (int z = 0; z < ng.nz(); z++) {
            for (int y = 0; y < ng.ny(); y++) {
                for (int x = 0; x < ng.nx(); x++) {
                    int old = oldIndex(g, ng, perm, flip, x, y, z);
                    ct.hu()[ng.index(x, y, z)] = exam.ct().hu()[old];
                    seg.set(ng.index(x, y, z), exam.seg().get(old));
                }
            }
        }
        // the same world point at a corner voxel: new (0,0,0) is old (nx-1... ) mapped through the affine
        double[] na = ng.affine();
        double[] a = g.affine();
        int[] o = {0, 0, 0};
        o[perm[0]] = ng.nx() - 1;
        o[perm[2]] = ng.nz() - 1;
        for (int r = 0; r < 3; r++) {
            assertEquals(a[4 * r] * o[0] + a[4 * r + 1] * o[1] + a[4 * r + 2] * o[2] + a[4 * r + 3], na[4 * r + 3], 1e-9);
        }
        assertNotEquals(g.affine()[0], na[0]);
        List<StructureStatistics> got = statsOf(ct, o(), seg, o(), "permuted");
        assertEquals(original, got);
        // and the files carry the new orientation
        assertArrayEquals(na, NiftiReader.read(dir.resolve("permuted_ct.nii.gz")).geometry().affine(), 1e-4);
    }
}
