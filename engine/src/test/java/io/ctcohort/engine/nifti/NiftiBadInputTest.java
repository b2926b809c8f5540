package io.ctcohort.engine.nifti;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.ImageTooLargeException;
import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of broken file gives a typed exception (InvalidImageException, a CtCohortException)
 * whose message names the file and the problem; none gives an OutOfMemoryError or hangs.
 */
class NiftiBadInputTest {
    static final String NAME = "s3://bucket/exam-042/ct.nii.gz";

    /** A valid little-endian NIfTI-1 file of 10x8x6 int16, uncompressed, then patched by {@code patch}. */
    static byte[] nifti1(Consumer<ByteBuffer> patch) {
        Geometry g = Geometry.axisAligned(10, 8, 6, 1.5, 1.5, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NiftiWriter.write(CtVolume.allocate(g), NiftiWriteOptions.defaults().gzip(false), out);
        byte[] b = out.toByteArray();
        patch.accept(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
        return b;
    }

    static InvalidImageException fails(byte[] file, String... expected) {
        return fails(file, Long.MAX_VALUE, expected);
    }

    static InvalidImageException fails(byte[] file, long maxVoxels, String... expected) {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> NiftiReader.read(new ByteArrayInputStream(file), NAME, maxVoxels));
        assertInstanceOf(CtCohortException.class, e);
        assertTrue(e.getMessage().startsWith(NAME + ": "), "names the file: " + e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
        }
        return e;
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    @Test
    void validFileReads() {
        assertEquals(480, NiftiReader.read(new ByteArrayInputStream(nifti1(b -> { })), NAME).geometry().voxelCount());
    }

    @Test
    void truncatedGzip() {
        byte[] gz = gzip(nifti1(b -> { }));
        fails(Arrays.copyOf(gz, gz.length / 2), "truncated gzip");
        fails(Arrays.copyOf(gz, 12), "truncated gzip");
    }

    @Test
    void corruptGzip() {
        byte[] gz = gzip(nifti1(b -> { }));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] = (byte) 0xA5;
        }
        fails(gz, "gzip");
    }

    @Test
    void wrongMagic() {
        fails(nifti1(b -> b.put(344, (byte) 'x')), "magic");
        fails(nifti1(b -> b.put(345, (byte) 'i')), "pair");
    }

    @Test
    void wrongHeaderSize() {
        fails(nifti1(b -> b.putInt(0, 352)), "sizeof_hdr", "352");
        fails("plain text, not an image".getBytes(), "not a NIfTI file");
        fails(new byte[0], "empty");
        fails(Arrays.copyOf(nifti1(b -> { }), 200), "header is truncated");
    }

    @Test
    void unsupportedDatatype() {
        fails(nifti1(b -> b.putShort(70, (short) 32)), "unsupported datatype complex64");
        fails(nifti1(b -> b.putShort(70, (short) 128)), "unsupported datatype rgb24");
    }

    @Test
    void dataShorterThanHeaderSays() {
        byte[] full = nifti1(b -> { });
        fails(Arrays.copyOf(full, full.length - 1), "data shorter than the header says", "960 bytes");
        fails(gzip(Arrays.copyOf(full, full.length - 100)), "data shorter than the header says");
        fails(nifti1(b -> b.putFloat(108, 100000)), "data shorter than the header says", "vox_offset");
    }

    @Test
    void twoDimensional() {
        fails(nifti1(b -> b.putShort(40, (short) 2)), "2-D image");
    }

    @Test
    void fourDimensionalWithSeveralVolumes() {
        fails(nifti1(b -> {
            b.putShort(40, (short) 4);
            b.putShort(48, (short) 3);
        }), "4-D image with 3 entries along dimension 4");
        // 4-D with exactly one volume is fine
        byte[] one = nifti1(b -> {
            b.putShort(40, (short) 4);
            b.putShort(48, (short) 1);
        });
        assertEquals(480, NiftiReader.read(new ByteArrayInputStream(one), NAME).geometry().voxelCount());
    }

    @Test
    void zeroNegativeOrNanSpacing() {
        fails(nifti1(b -> b.putFloat(80, 0f)), "invalid voxel spacing pixdim[1]=0.0");
        // a negative spacing is read as its absolute value, as nibabel's header fix-up does
        assertEquals(1.5, NiftiReader.read(new ByteArrayInputStream(nifti1(b -> b.putFloat(84, -1.5f))), NAME)
                .geometry().spacing()[1]);
        fails(nifti1(b -> b.putFloat(88, Float.NaN)), "invalid voxel spacing pixdim[3]=NaN");
        fails(nifti1(b -> b.putFloat(88, Float.POSITIVE_INFINITY)), "invalid voxel spacing");
    }

    @Test
    void singularOrNonFiniteAffineIsRefusedNamingTheFile() {
        fails(nifti1(b -> {
            for (int i = 0; i < 12; i++) {
                b.putFloat(280 + 4 * i, 0f);
            }
        }), "affine from the sform (sform_code", "is singular");
        fails(nifti1(b -> {
            b.putFloat(284, b.getFloat(280)); // column 1 along column 0
            b.putFloat(300, b.getFloat(296));
        }), "is singular");
        fails(nifti1(b -> b.putFloat(292, Float.NaN)), "sform", "not finite");
        fails(nifti1(b -> {
            b.putShort(254, (short) 0);
            b.putFloat(256, Float.NaN);
        }), "affine from the qform (qform_code", "not finite");
    }

    @Test
    void nonPositiveDimension() {
        fails(nifti1(b -> b.putShort(44, (short) 0)), "dimension 2 has size 0");
    }

    @Test
    void moreVoxelsThanTheLimitIsRefusedBeforeAllocating() {
        // 30000^3 voxels declared in a 1 KB file: refused from the header alone, no allocation
        byte[] huge = nifti1(b -> {
            b.putShort(42, (short) 30000);
            b.putShort(44, (short) 30000);
            b.putShort(46, (short) 30000);
        });
        assertInstanceOf(ImageTooLargeException.class, fails(huge, "30000x30000x30000", "limit"));
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> NiftiReader.read(new ByteArrayInputStream(huge), NAME));
        assertInstanceOf(ImageTooLargeException.class, e);
        // a configured limit below the true size
        assertInstanceOf(ImageTooLargeException.class, fails(nifti1(b -> { }), 479, "limit of 479"));
        assertEquals(480, NiftiReader.read(new ByteArrayInputStream(nifti1(b -> { })), NAME, 480)
                .geometry().voxelCount());
    }

    @Test
    void nifti2WithAstronomicalDimensionsIsRefused() {
        Geometry g = Geometry.axisAligned(4, 4, 4, 1, 1, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NiftiWriter.write(CtVolume.allocate(g), NiftiWriteOptions.defaults().version(2), out);
        byte[] b = out.toByteArray();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1L << 40);
        assertInstanceOf(ImageTooLargeException.class, fails(b, "limit"));
    }

    @Test
    void labelsMustBeNonNegativeIntegers() {
        Geometry g = Geometry.axisAligned(3, 2, 1, 1, 1, 1);
        CtVolume ct = new CtVolume(g, new short[] {0, 1, 2, -1, 4, 5});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NiftiWriter.write(ct, NiftiWriteOptions.defaults(), out);
        NiftiImage img = NiftiReader.read(new ByteArrayInputStream(out.toByteArray()), NAME);
        InvalidImageException e = assertThrows(InvalidImageException.class, img::toLabels);
        assertTrue(e.getMessage().contains(NAME) && e.getMessage().contains("(0, 1, 0) holds -1.0"), e.getMessage());

        out.reset();
        NiftiWriter.write(new CtVolume(g, new short[] {0, 1, 2, 3, 4, 5}),
                NiftiWriteOptions.defaults().datatype(NiftiDataType.FLOAT32).scaling(0.5, 0), out);
        NiftiImage half = NiftiReader.read(new ByteArrayInputStream(out.toByteArray()), NAME);
        // stored values 0, 2, 4, ... scaled by 0.5 back to integers: fine
        assertEquals(5, half.toLabels().get(5));
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.nii.gz");
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> NiftiReader.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not found"));
        Path cut = dir.resolve("cut.nii");
        Files.write(cut, Arrays.copyOf(nifti1(b -> { }), 400));
        e = assertThrows(InvalidImageException.class, () -> NiftiReader.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": data shorter"), e.getMessage());
    }
}
