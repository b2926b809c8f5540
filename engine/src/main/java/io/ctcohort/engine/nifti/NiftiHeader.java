package io.ctcohort.engine.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes) header that ctcohort uses, in one
 * version-neutral form: NIfTI-1's shorts and floats are widened to NIfTI-2's longs and doubles
 * (exactly, so a value read from either version is the value the file holds).
 * Layouts follow nifti1.h and nifti2.h.
 */
public final class NiftiHeader {
    public static final int NIFTI1_SIZE = 348;
    public static final int NIFTI2_SIZE = 540;
    private static final byte[] MAGIC1 = {'n', '+', '1', 0};
    private static final byte[] MAGIC1_PAIR = {'n', 'i', '1', 0};
    private static final byte[] MAGIC2 = {'n', '+', '2', 0, '\r', '\n', 0x1A, '\n'};
    private static final byte[] MAGIC2_PAIR = {'n', 'i', '2', 0, '\r', '\n', 0x1A, '\n'};

    /** vox_offset of a NIfTI-1 header whose float is NaN or infinite. */
    static final long NOT_FINITE = Long.MIN_VALUE;

    int version = 1;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    /** dim[0..7] as stored (dim[0] = number of dimensions). */
    final long[] dim = new long[8];
    int datatype;
    int bitpix;
    /** pixdim[0..7] as stored (pixdim[0] = qfac). */
    final double[] pixdim = new double[8];
    long voxOffset;
    double sclSlope = Double.NaN;
    double sclInter = Double.NaN;
    int qformCode;
    int sformCode;
    double quaternB;
    double quaternC;
    double quaternD;
    double qoffsetX;
    double qoffsetY;
    double qoffsetZ;
    /** srow_x, srow_y, srow_z: the first three rows of the sform affine, row-major. */
    final double[] srow = new double[12];
    int xyztUnits;
    String descrip = "";

    /** 1 or 2. */
    public int version() {
        return version;
    }

    public ByteOrder byteOrder() {
        return order;
    }

    public long voxOffset() {
        return voxOffset;
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    public String description() {
        return descrip;
    }

    /**
     * Header size announced by the first four bytes, with the byte order it implies: 348 for NIfTI-1,
     * 540 for NIfTI-2, in either order; 0 when the bytes are neither (not a NIfTI file).
     */
    static int sizeAndOrder(byte[] first4, ByteOrder[] orderOut) {
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int size = ByteBuffer.wrap(first4).order(o).getInt(0);
            if (size == NIFTI1_SIZE || size == NIFTI2_SIZE) {
                orderOut[0] = o;
                return size;
            }
        }
        return 0;
    }

    /** Parses a complete header (348 or 540 bytes); checks the magic string. */
    static NiftiHeader parse(byte[] bytes, ByteOrder order, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        NiftiHeader h = new NiftiHeader();
        h.order = order;
        if (bytes.length == NIFTI1_SIZE) {
            h.version = 1;
            byte[] magic = Arrays.copyOfRange(bytes, 344, 348);
            checkMagic(magic, MAGIC1, MAGIC1_PAIR, name, 1);
            for (int i = 0; i < 8; i++) {
                h.dim[i] = b.getShort(40 + 2 * i);
                h.pixdim[i] = b.getFloat(76 + 4 * i);
            }
            h.datatype = b.getShort(70);
            h.bitpix = b.getShort(72);
            float voxOffset = b.getFloat(108);
            h.voxOffset = Float.isFinite(voxOffset) ? (long) voxOffset : NOT_FINITE; // truncated, as nibabel's int()
            h.xyztUnits = b.get(123);
            h.qformCode = b.getShort(252);
            h.sformCode = b.getShort(254);
            h.readShared(b, bytes, Layout.V1);
        } else {
            h.version = 2;
            byte[] magic = Arrays.copyOfRange(bytes, 4, 12);
            checkMagic(magic, MAGIC2, MAGIC2_PAIR, name, 2);
            h.datatype = b.getShort(12);
            h.bitpix = b.getShort(14);
            for (int i = 0; i < 8; i++) {
                h.dim[i] = b.getLong(16 + 8 * i);
                h.pixdim[i] = b.getDouble(104 + 8 * i);
            }
            h.voxOffset = b.getLong(168);
            h.qformCode = b.getInt(344);
            h.sformCode = b.getInt(348);
            h.readShared(b, bytes, Layout.V2);
            h.xyztUnits = b.getInt(500);
        }
        return h;
    }

    private static void checkMagic(byte[] magic, byte[] single, byte[] pair, String name, int version) {
        if (Arrays.equals(magic, single)) {
            return;
        }
        if (Arrays.equals(magic, pair)) {
            throw NiftiProblem.HEADER_IMAGE_PAIR.at(name, "NIfTI-" + version + " header/image pair (.hdr/.img) is not"
                    + " supported; convert it to a single .nii file");
        }
        throw NiftiProblem.MALFORMED_HEADER.at(name, "wrong NIfTI-" + version + " magic string "
                + printable(magic) + " (expected " + printable(single) + ")");
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("'");
        for (byte x : b) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
        }
        return s.append("'").toString();
    }

    private static String text(byte[] bytes, int off, int len) {
        int end = off;
        while (end < off + len && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, off, end - off, StandardCharsets.ISO_8859_1);
    }

    /**
     * Encodes this header for a single-file .nii, followed by the 4-byte extension flag (all zero:
     * no extensions); vox_offset is set to 352 (NIfTI-1) or 544 (NIfTI-2), where the data starts.
     */
    byte[] encode() {
        int size = version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
        byte[] bytes = new byte[size + 4];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        voxOffset = size + 4;
        byte[] desc = descrip.getBytes(StandardCharsets.ISO_8859_1);
        b.putInt(0, size);
        if (version == 1) {
            b.put(38, (byte) 'r'); // "regular", as nifti1.h asks for
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, (short) dim[i]);
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putShort(70, (short) datatype);
            b.putShort(72, (short) bitpix);
            b.putFloat(108, voxOffset);
            b.put(123, (byte) xyztUnits);
            b.putShort(252, (short) qformCode);
            b.putShort(254, (short) sformCode);
            writeShared(b, bytes, desc, Layout.V1);
            System.arraycopy(MAGIC1, 0, bytes, 344, 4);
        } else {
            System.arraycopy(MAGIC2, 0, bytes, 4, 8);
            b.putShort(12, (short) datatype);
            b.putShort(14, (short) bitpix);
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, voxOffset);
            b.putInt(344, qformCode);
            b.putInt(348, sformCode);
            writeShared(b, bytes, desc, Layout.V2);
            b.putInt(500, xyztUnits);
        }
        return bytes;
    }

    /**
     * Where NIfTI-1 and NIfTI-2 keep the real-valued fields they share (scl_*, quatern_*, qoffset_*,
     * srow_*) and the description, and how wide their reals are (float32 / float64). quatern_b ..
     * qoffset_z and the three srows follow each other, one real apart.
     */
    private enum Layout {
        V1(4, 112, 148, 256),
        V2(8, 176, 240, 352);

        final int real;
        final int sclSlope;
        final int descrip;
        final int quaternB;

        Layout(int real, int sclSlope, int descrip, int quaternB) {
            this.real = real;
            this.sclSlope = sclSlope;
            this.descrip = descrip;
            this.quaternB = quaternB;
        }

        /** The k-th real from quatern_b on (0..5: quaternion and offsets, 6..17: srow_x..srow_z). */
        int quaternion(int k) {
            return quaternB + k * real;
        }

        double getReal(ByteBuffer b, int at) {
            return real == 4 ? b.getFloat(at) : b.getDouble(at);
        }

        void putReal(ByteBuffer b, int at, double v) {
            if (real == 4) {
                b.putFloat(at, (float) v);
            } else {
                b.putDouble(at, v);
            }
        }
    }

    private void readShared(ByteBuffer b, byte[] bytes, Layout l) {
        sclSlope = l.getReal(b, l.sclSlope);
        sclInter = l.getReal(b, l.sclSlope + l.real);
        descrip = text(bytes, l.descrip, 80);
        quaternB = l.getReal(b, l.quaternion(0));
        quaternC = l.getReal(b, l.quaternion(1));
        quaternD = l.getReal(b, l.quaternion(2));
        qoffsetX = l.getReal(b, l.quaternion(3));
        qoffsetY = l.getReal(b, l.quaternion(4));
        qoffsetZ = l.getReal(b, l.quaternion(5));
        for (int i = 0; i < 12; i++) {
            srow[i] = l.getReal(b, l.quaternion(6 + i));
        }
    }

    private void writeShared(ByteBuffer b, byte[] bytes, byte[] desc, Layout l) {
        l.putReal(b, l.sclSlope, sclSlope);
        l.putReal(b, l.sclSlope + l.real, sclInter);
        System.arraycopy(desc, 0, bytes, l.descrip, Math.min(79, desc.length));
        double[] quatern = {quaternB, quaternC, quaternD, qoffsetX, qoffsetY, qoffsetZ};
        for (int k = 0; k < 6; k++) {
            l.putReal(b, l.quaternion(k), quatern[k]);
        }
        for (int i = 0; i < 12; i++) {
            l.putReal(b, l.quaternion(6 + i), srow[i]);
        }
    }
}
