package io.ctcohort.engine.nifti;

import io.ctcohort.engine.ImageTooLargeException;
import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.image.Geometry;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads NIfTI-1 and NIfTI-2 single-file images (.nii, or gzip-compressed .nii.gz, told apart by
 * their first bytes, not their name) from a file or any stream, in one forward pass: header,
 * extensions skipped up to vox_offset, then the voxels decoded chunk by chunk straight into one
 * primitive array of the file's own type. Written here because no maintained Java NIfTI library
 * is on Maven Central (niftijio is not, and it holds every voxel as a double).
 *
 * <p>Every problem with the input is an {@link InvalidImageException} naming the file; an image
 * larger than the voxel limit is refused from its header, before anything is allocated.
 */
public final class NiftiReader {
    /** Default voxel limit: 2^30 voxels (2 GiB as int16, e.g. 1024 x 1024 x 1024). */
    public static final long DEFAULT_MAX_VOXELS = 1024L * 1024 * 1024;
    /** Java arrays hold at most about 2^31 elements; a bigger image cannot be stored in one. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 16;
    /** DEFLATE's largest expansion (zlib's technical notes): no gzip file inflates to more than this many times its size. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private NiftiReader() {
    }

    public static NiftiImage read(Path file) {
        return read(file, DEFAULT_MAX_VOXELS);
    }

    public static NiftiImage read(Path file, long maxVoxels) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), maxVoxels, Files.size(file));
        } catch (NoSuchFileException e) {
            throw NiftiProblem.FILE_NOT_FOUND.at(file.toString(), "file not found");
        } catch (IOException e) {
            throw NiftiProblem.UNREADABLE.at(file.toString(), "cannot be read: " + e, e);
        }
    }

    public static NiftiImage read(InputStream in, String name) {
        return read(in, name, DEFAULT_MAX_VOXELS);
    }

    /**
     * Reads one image from {@code in} (not closed here).
     *
     * @param name      file name or URI, used in error messages
     * @param maxVoxels refuse (before allocating) images with more voxels than this
     */
    public static NiftiImage read(InputStream in, String name, long maxVoxels) {
        return read(in, name, maxVoxels, -1);
    }

    /**
     * As {@link #read(InputStream, String, long)}, for a file of {@code length} bytes (negative:
     * unknown). A header declaring more voxels than the file can hold, or inflate to when gzipped,
     * is refused before the voxel array is allocated: a 1 KB file cannot claim gigabytes of memory.
     */
    public static NiftiImage read(InputStream in, String name, long maxVoxels, long length) {
        boolean gzip = false;
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, CHUNK);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream s = gzip ? new GZIPInputStream(new LookaheadStream(buffered), CHUNK) : buffered;
            long mostBytes = length < 0 ? Long.MAX_VALUE : gzip ? length * MAX_DEFLATE_RATIO : length;
            return readUncompressed(s, name, maxVoxels, mostBytes, gzip);
        } catch (EOFException e) {
            throw NiftiProblem.TRUNCATED.at(name, gzip ? "truncated gzip stream (" + e.getMessage() + ")"
                    : "file ends early: " + e.getMessage(), e);
        } catch (ZipException e) {
            throw NiftiProblem.CORRUPT_GZIP.at(name, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw NiftiProblem.UNREADABLE.at(name, "cannot be read: " + e, e);
        }
    }

    private static NiftiImage readUncompressed(InputStream s, String name, long maxVoxels, long mostBytes,
                                               boolean gzip) throws IOException {
        byte[] first = s.readNBytes(4);
        if (first.length < 4) {
            throw NiftiProblem.TRUNCATED.at(name, "empty or shorter than a NIfTI header (" + first.length
                    + " bytes)");
        }
        ByteOrder[] order = new ByteOrder[1];
        int size = NiftiHeader.sizeAndOrder(first, order);
        if (size == 0) {
            throw NiftiProblem.NOT_NIFTI.at(name, "not a NIfTI file: header size field (sizeof_hdr) is "
                    + ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt()
                    + ", expected 348 (NIfTI-1) or 540 (NIfTI-2) in either byte order");
        }
        byte[] bytes = new byte[size];
        System.arraycopy(first, 0, bytes, 0, 4);
        int got = s.readNBytes(bytes, 4, size - 4);
        if (got < size - 4) {
            throw NiftiProblem.TRUNCATED.at(name, "header is truncated: " + (got + 4) + " of " + size + " bytes");
        }
        NiftiHeader h = NiftiHeader.parse(bytes, order[0], name);

        NiftiDataType type = NiftiDataType.ofCode(h.datatype);
        if (type == null) {
            throw NiftiProblem.UNSUPPORTED_DATATYPE.at(name, "unsupported datatype "
                    + NiftiDataType.describe(h.datatype) + " (code " + h.datatype + "); supported: uint8, int8,"
                    + " int16, uint16, int32, uint32, float32, float64");
        }
        int[] dims = checkDims(h, name, maxVoxels);
        double[] spacing = checkSpacing(h, name);
        double[] affine = NiftiAffine.of(h, dims[0], dims[1], dims[2]);
        String degenerate = NiftiAffine.degenerate(affine);
        if (degenerate != null) {
            throw NiftiProblem.INVALID_AFFINE.at(name, "the voxel-to-world affine from the " + NiftiAffine.source(h)
                    + " " + degenerate + ": " + Arrays.toString(Arrays.copyOf(affine, 12)));
        }
        Geometry geometry = new Geometry(dims[0], dims[1], dims[2], affine, spacing);

        checkScaling(h, name);
        long offset = NiftiExtensions.dataOffset(h, size, name);
        long needed = offset + geometry.voxelCount() * type.bytes();
        if (needed > mostBytes) {
            throw NiftiProblem.TRUNCATED.at(name, "data shorter than the header says: " + geometry.voxelCount() + " "
                    + type.name().toLowerCase() + " voxels need " + needed + " bytes with the header, more than this "
                    + (gzip ? "gzip file can inflate to (" + mostBytes / MAX_DEFLATE_RATIO + " bytes x "
                    + MAX_DEFLATE_RATIO + ")" : mostBytes + "-byte file holds"));
        }
        NiftiExtensions.skip(s, h, size, offset, name);
        Object data = readVoxels(s, type, h.order, (int) geometry.voxelCount(), name, offset);
        return new NiftiImage(name, h, type, geometry, data);
    }

    /** dims 1..3, with any further dimension required to be 1 (one volume), within the voxel limit. */
    private static int[] checkDims(NiftiHeader h, String name, long maxVoxels) {
        long nd = h.dim[0];
        if (nd < 1 || nd > 7) {
            throw NiftiProblem.INVALID_DIMENSIONS.at(name, "invalid number of dimensions dim[0]=" + nd);
        }
        if (nd < 3) {
            throw NiftiProblem.INVALID_DIMENSIONS.at(name, nd + "-D image (dim[0]=" + nd + "); a CT or label map"
                    + " must be 3-D");
        }
        for (int i = 4; i <= nd; i++) {
            if (h.dim[i] != 1) {
                throw NiftiProblem.INVALID_DIMENSIONS.at(name, nd + "-D image with " + h.dim[i] + " entries along"
                        + " dimension " + i + "; only a single 3-D volume is supported");
            }
        }
        long limit = Math.min(maxVoxels, MAX_ARRAY);
        long voxels = 1;
        for (int i = 1; i <= 3; i++) {
            if (h.dim[i] < 1) {
                throw NiftiProblem.INVALID_DIMENSIONS.at(name, "dimension " + i + " has size " + h.dim[i]);
            }
            voxels = h.dim[i] > limit ? Long.MAX_VALUE : voxels * h.dim[i]; // no overflow: each factor <= limit < 2^31
            if (voxels > limit) {
                throw new ImageTooLargeException(name, "header declares " + h.dim[1] + "x" + h.dim[2] + "x"
                        + h.dim[3] + " voxels, more than the limit of " + limit);
            }
        }
        return new int[] {(int) h.dim[1], (int) h.dim[2], (int) h.dim[3]};
    }

    /**
     * A usable scl_slope (finite, non-zero) needs a finite scl_inter: nibabel refuses such a file
     * ("valid slope but invalid intercept"). An unusable slope means no scaling (NiftiImage).
     */
    private static void checkScaling(NiftiHeader h, String name) {
        boolean slope = h.sclSlope != 0 && Double.isFinite(h.sclSlope);
        if (slope && !Double.isFinite(h.sclInter)) {
            throw NiftiProblem.INVALID_SCALING.at(name, "scl_slope " + h.sclSlope + " with scl_inter " + h.sclInter
                    + ": a scaled image needs a finite intercept");
        }
    }

    /**
     * pixdim[1..3], as float32 values: nibabel's zooms are float32 for NIfTI-1, and the voxel
     * volume TotalSegmentator reports is their float32 product (see Geometry#voxelVolumeMm3).
     */
    private static double[] checkSpacing(NiftiHeader h, String name) {
        double[] sp = new double[3];
        for (int i = 0; i < 3; i++) {
            double p = h.pixdim[i + 1];
            if (p == 0 || !Double.isFinite(p)) {
                throw NiftiProblem.INVALID_SPACING.at(name, "invalid voxel spacing pixdim[" + (i + 1) + "]=" + p
                        + " (must be a non-zero finite number of mm)");
            }
            // nibabel's header fix-up takes a negative spacing's absolute value; so do we, before
            // the qform or the pixdim fallback uses it
            h.pixdim[i + 1] = Math.abs(p);
            sp[i] = (float) Math.abs(p);
        }
        return sp;
    }

    /**
     * Decodes the voxels chunk by chunk into one array of the file's type: byte[] (uint8, int8),
     * short[] (int16, uint16), int[] (int32, uint32), float[] (float32; float64 is narrowed to
     * float32, exact for every integer up to 2^24 such as HU values and labels, so that no voxel
     * costs a double).
     */
    private static Object readVoxels(InputStream s, NiftiDataType type, ByteOrder order, int n, String name,
                                     long offset) throws IOException {
        int width = type.bytes();
        long total = (long) n * width;
        byte[] buf = new byte[CHUNK];
        Object data = switch (type) {
            case UINT8, INT8 -> new byte[n];
            case INT16, UINT16 -> new short[n];
            case INT32, UINT32 -> new int[n];
            case FLOAT32, FLOAT64 -> new float[n];
        };
        double[] doubles = type == NiftiDataType.FLOAT64 ? new double[CHUNK / 8] : null;
        long done = 0;
        int pos = 0;
        while (done < total) {
            int want = (int) Math.min(CHUNK, total - done);
            int got = s.readNBytes(buf, 0, want);
            if (got < want) {
                throw NiftiProblem.TRUNCATED.at(name, "data shorter than the header says: "
                        + type.name().toLowerCase() + " voxels need " + total + " bytes from offset " + offset
                        + ", the file holds " + (done + got));
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, got).order(order);
            int count = got / width;
            switch (type) {
                case UINT8, INT8 -> System.arraycopy(buf, 0, (byte[]) data, pos, count);
                case INT16, UINT16 -> bb.asShortBuffer().get((short[]) data, pos, count);
                case INT32, UINT32 -> bb.asIntBuffer().get((int[]) data, pos, count);
                case FLOAT32 -> bb.asFloatBuffer().get((float[]) data, pos, count);
                case FLOAT64 -> {
                    bb.asDoubleBuffer().get(doubles, 0, count);
                    float[] f = (float[]) data;
                    for (int i = 0; i < count; i++) {
                        f[pos + i] = (float) doubles[i];
                    }
                }
            }
            pos += count;
            done += got;
        }
        return data;
    }
}
