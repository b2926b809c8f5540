package io.ctcohort.engine.nifti;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer -> reader round trips over every datatype, both versions, both byte orders, gzip and forms. */
class NiftiRoundTripTest {
    /** An oblique grid: rotation about z by 30 degrees, anisotropic spacing, an offset. */
    static Geometry obliqueGeometry(int nx, int ny, int nz) {
        double c = Math.cos(Math.toRadians(30));
        double s = Math.sin(Math.toRadians(30));
        double sx = 0.75f;
        double sy = 0.75f;
        double sz = 2.5f;
        double[] a = {
            c * sx, -s * sy, 0, -120.5,
            s * sx, c * sy, 0, 33.25,
            0, 0, sz, -400,
            0, 0, 0, 1};
        return new Geometry(nx, ny, nz, a, new double[] {sx, sy, sz});
    }

    /** Values spanning the type's range (within int16 for CT) including both extremes where they fit. */
    static CtVolume ctFor(NiftiDataType type, Geometry g) {
        int lo = (int) Math.max(type.min(), Short.MIN_VALUE);
        int hi = (int) Math.min(type.max(), Short.MAX_VALUE);
        CtVolume ct = CtVolume.allocate(g);
        short[] hu = ct.hu();
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (lo + (long) i * 7919 % (hi - lo + 1));
        }
        hu[0] = (short) lo;
        hu[1] = (short) hi;
        return ct;
    }

    @ParameterizedTest
    @EnumSource(NiftiDataType.class)
    void ctRoundTripsThroughEveryDatatypeVersionOrderAndCompression(NiftiDataType type) {
        Geometry g = obliqueGeometry(9, 7, 5);
        CtVolume ct = ctFor(type, g);
        for (int version : new int[] {1, 2}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (boolean gzip : new boolean[] {false, true}) {
                    NiftiWriteOptions o = NiftiWriteOptions.defaults().version(version).byteOrder(order)
                            .gzip(gzip).datatype(type);
                    NiftiImage back = roundTrip(ct, o);
                    String what = type + " v" + version + " " + order + " gzip=" + gzip;
                    assertEquals(type, back.datatype(), what);
                    assertEquals(version, back.header().version(), what);
                    assertEquals(order, back.header().byteOrder(), what);
                    assertArrayEquals(ct.hu(), back.toCt().hu(), what);
                    assertArrayEquals(g.affine(), back.geometry().affine(), 1e-4, what);
                    assertArrayEquals(g.spacing(), back.geometry().spacing(), 0.0, what);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NiftiDataType.class)
    void labelsRoundTripThroughEveryDatatype(NiftiDataType type) {
        Geometry g = obliqueGeometry(6, 5, 4);
        int max = (int) Math.min(type.max(), 300);
        LabelVolume labels = LabelVolume.allocate(g, max);
        for (int i = 0; i < g.voxelCount(); i++) {
            labels.set(i, i * 31 % (max + 1));
        }
        NiftiImage back = roundTrip(labels, NiftiWriteOptions.defaults().datatype(type).byteOrder(ByteOrder.BIG_ENDIAN));
        LabelVolume l2 = back.toLabels();
        assertEquals(max <= 255, l2.isUInt8(), "uint8 iff every label fits");
        for (int i = 0; i < g.voxelCount(); i++) {
            assertEquals(labels.get(i), l2.get(i), type + " voxel " + i);
        }
    }

    @Test
    void scaledInt16AppliesSlopeAndInterceptLikeNibabel() {
        Geometry g = obliqueGeometry(8, 4, 3);
        CtVolume ct = ctFor(NiftiDataType.INT16, g);
        for (int i = 0; i < ct.hu().length; i++) {
            ct.hu()[i] = (short) (ct.hu()[i] / 3); // so that stored (v + 1024) * 2 still fits int16
        }
        NiftiImage back = roundTrip(ct, NiftiWriteOptions.defaults().scaling(0.5, -1024));
        assertEquals(0.5, back.slope());
        assertEquals(-1024, back.inter());
        assertArrayEquals(ct.hu(), back.toCt().hu());
    }

    @Test
    void toCtTruncatesTowardZeroAndSaturatesLikeAstypeInt16() {
        assertEquals(2, io.ctcohort.engine.image.CtVolume.toHu(2.9));
        assertEquals(-2, io.ctcohort.engine.image.CtVolume.toHu(-2.9));
        assertEquals(32767, io.ctcohort.engine.image.CtVolume.toHu(1e9));
        assertEquals(-32768, io.ctcohort.engine.image.CtVolume.toHu(-1e9));
        assertEquals(0, io.ctcohort.engine.image.CtVolume.toHu(Double.NaN));
        // through a file: float32 values with fractions, slope 1.5
        Geometry g = Geometry.axisAligned(4, 1, 1, 1, 1, 1);
        CtVolume ct = new CtVolume(g, new short[] {1, -1, 3, -3});
        NiftiImage back = roundTrip(ct, NiftiWriteOptions.defaults().datatype(NiftiDataType.FLOAT32).scaling(1.5, 0));
        // stored (v / 1.5) as float32, read back * 1.5: 1 -> 0.99999.. or 1.0; check value() agrees with toCt
        short[] hu = back.toCt().hu();
        for (int i = 0; i < 4; i++) {
            assertEquals((short) (int) back.value(i), hu[i]);
        }
    }

    @Test
    void qformOnlyAndSformOnlyGiveTheSameAffine() {
        Geometry g = obliqueGeometry(5, 4, 3);
        CtVolume ct = ctFor(NiftiDataType.INT16, g);
        NiftiImage q = roundTrip(ct, NiftiWriteOptions.defaults().forms(false, true));
        assertEquals(0, q.header().sformCode());
        assertTrue(q.header().qformCode() > 0);
        NiftiImage s = roundTrip(ct, NiftiWriteOptions.defaults().forms(true, false));
        assertEquals(0, s.header().qformCode());
        assertArrayEquals(g.affine(), q.geometry().affine(), 1e-4);
        assertArrayEquals(g.affine(), s.geometry().affine(), 1e-4);
    }

    @Test
    void qformRepresentsFlipsAndPermutations() {
        // axes permuted (x<-z, y<-x, z<-y) and flipped: determinant -1 needs qfac = -1
        double[] a = {0, 0, -2, 10, -1, 0, 0, 20, 0, 3, 0, 30, 0, 0, 0, 1};
        Geometry g = new Geometry(3, 4, 5, a, new double[] {1, 3, 2});
        NiftiImage q = roundTrip(CtVolume.allocate(g), NiftiWriteOptions.defaults().forms(false, true));
        assertArrayEquals(a, q.geometry().affine(), 1e-6);
        double[] b = {-1, 0, 0, 10, 0, -3, 0, 20, 0, 0, 2, 30, 0, 0, 0, 1}; // 180 degrees about z
        Geometry g2 = new Geometry(3, 4, 5, b, new double[] {1, 3, 2});
        NiftiImage q2 = roundTrip(CtVolume.allocate(g2), NiftiWriteOptions.defaults().forms(false, true));
        assertArrayEquals(b, q2.geometry().affine(), 1e-6);
    }

    @Test
    void noFormsFallsBackToNibabelsPixdimAffine() {
        Geometry g = Geometry.axisAligned(5, 4, 3, 2, 3, 4);
        NiftiImage n = roundTrip(CtVolume.allocate(g), NiftiWriteOptions.defaults().forms(false, false));
        // nibabel's shape_zoom_affine((5,4,3), (2,3,4), x_flip=True)
        assertArrayEquals(new double[] {-2, 0, 0, 4, 0, 3, 0, -4.5, 0, 0, 4, -4, 0, 0, 0, 1},
                n.geometry().affine(), 0.0);
    }

    /** A value the chosen datatype cannot hold is refused, and the error names the file being written. */
    @Test
    void unstorableValuesNameTheFile(@TempDir Path dir) {
        CtVolume ct = ctFor(NiftiDataType.INT16, obliqueGeometry(4, 3, 2)); // holds -32768 and 32767
        Path f = dir.resolve("narrow.nii");
        io.ctcohort.core.CtCohortException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.ctcohort.core.CtCohortException.class,
                () -> NiftiWriter.write(ct, NiftiWriteOptions.defaults().datatype(NiftiDataType.UINT8), f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("uint8"), e.getMessage());
    }

    @Test
    void defaultPathWriterGzipsByNameAndWritesNifti1WithBothForms(@TempDir Path dir) throws Exception {
        Geometry g = obliqueGeometry(4, 3, 2);
        CtVolume ct = ctFor(NiftiDataType.INT16, g);
        Path gz = dir.resolve("ct.nii.gz");
        Path nii = dir.resolve("ct.nii");
        NiftiWriter.write(ct, gz);
        NiftiWriter.write(ct, nii);
        byte[] gzBytes = Files.readAllBytes(gz);
        assertTrue((gzBytes[0] & 0xFF) == 0x1f && (gzBytes[1] & 0xFF) == 0x8b);
        assertEquals(352 + 2L * 24, Files.size(nii));
        NiftiImage back = NiftiReader.read(gz);
        assertEquals(1, back.header().version());
        assertTrue(back.header().sformCode() > 0 && back.header().qformCode() > 0);
        assertArrayEquals(ct.hu(), back.toCt().hu());
        assertArrayEquals(ct.hu(), NiftiReader.read(nii).toCt().hu());
        LabelVolume labels = LabelVolume.allocate(g, 700);
        labels.set(5, 700);
        Path seg = dir.resolve("seg.nii.gz");
        NiftiWriter.write(labels, seg);
        NiftiImage segBack = NiftiReader.read(seg);
        assertEquals(NiftiDataType.UINT16, segBack.datatype());
        assertFalse(segBack.toLabels().isUInt8());
        assertEquals(700, segBack.toLabels().get(5));
    }

    @Test
    void compressionIsDetectedByMagicBytesAndSlowStreamsAreReadFully(@TempDir Path dir) throws Exception {
        Geometry g = obliqueGeometry(31, 17, 9);
        CtVolume ct = ctFor(NiftiDataType.INT16, g);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        NiftiWriter.write(ct, NiftiWriteOptions.defaults().gzip(true), gz);
        Path misnamed = dir.resolve("really-gzip.nii");
        Files.write(misnamed, gz.toByteArray());
        assertArrayEquals(ct.hu(), NiftiReader.read(misnamed).toCt().hu());
        // a network stream that hands out at most 7 bytes per read()
        java.io.InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(gz.toByteArray())) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        assertArrayEquals(ct.hu(), NiftiReader.read(trickle, "s3://b/k.nii.gz").toCt().hu());
    }

    static NiftiImage roundTrip(CtVolume ct, NiftiWriteOptions o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NiftiWriter.write(ct, o, out);
        return NiftiReader.read(new ByteArrayInputStream(out.toByteArray()), "memory");
    }

    static NiftiImage roundTrip(LabelVolume l, NiftiWriteOptions o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NiftiWriter.write(l, o, out);
        return NiftiReader.read(new ByteArrayInputStream(out.toByteArray()), "memory");
    }
}
