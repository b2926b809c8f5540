package io.ctcohort.engine.dicom.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * TEST ONLY: the few header values and the pixel data of an explicit VR little endian DICOM file,
 * so the codec tests need not wait for DicomFileReader. Not a DICOM parser: no implicit VR, no
 * deflate, no big endian, single-frame pixel data.
 */
final class TestDicom {
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    String transferSyntax = "";
    int rows;
    int columns;
    int bitsAllocated;
    int bitsStored;
    boolean signed;
    double slope = 1;
    double intercept;
    String position = "";
    byte[] nativePixels;
    final List<byte[]> fragments = new ArrayList<>();

    private final byte[] b;
    private int pos;

    private TestDicom(byte[] bytes) {
        this.b = bytes;
    }

    static TestDicom read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture of src/test/resources/dicom/. */
    static TestDicom fixture(String name) {
        return parse(resource(name));
    }

    static byte[] resource(String name) {
        try (InputStream in = TestDicom.class.getResourceAsStream("/dicom/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test fixture dicom/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestDicom parse(byte[] bytes) {
        TestDicom d = new TestDicom(bytes);
        if (bytes.length < 132 || !new String(bytes, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
            throw new IllegalArgumentException("not a DICOM file with preamble");
        }
        d.pos = 132;
        d.readElements(bytes.length, false);
        return d;
    }

    FrameFormat format() {
        return new FrameFormat(rows, columns, bitsAllocated, bitsStored, signed);
    }

    /** A single-frame image's compressed frame: every fragment after the basic offset table. */
    byte[] frame() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fragments.subList(1, fragments.size())) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** The native pixel data as 16-bit stored words. */
    short[] nativeSamples() {
        short[] s = new short[rows * columns];
        for (int i = 0; i < s.length; i++) {
            s[i] = bitsAllocated == 8 ? (short) (nativePixels[i] & 0xFF)
                    : (short) ((nativePixels[2 * i] & 0xFF) | (nativePixels[2 * i + 1] & 0xFF) << 8);
        }
        return s;
    }

    /** A stored word read as BitsStored bits, signed or not: the sample value. */
    int value(short stored) {
        int v = stored & ((1 << bitsStored) - 1);
        return signed && (v & (1 << (bitsStored - 1))) != 0 ? v - (1 << bitsStored) : v;
    }

    /** Hounsfield units of decoded stored words. */
    double[] hu(short[] stored) {
        double[] h = new double[stored.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = value(stored[i]) * slope + intercept;
        }
        return h;
    }

    private void readElements(int end, boolean inItem) {
        while (pos + 8 <= end) {
            int tag = u16(pos) << 16 | u16(pos + 2);
            if (tag == ITEM_END && inItem) {
                pos += 8;
                return;
            }
            String vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
            long length;
            if (LONG_VRS.contains(vr)) {
                length = u32(pos + 8);
                pos += 12;
            } else {
                length = u16(pos + 6);
                pos += 8;
            }
            if (length == 0xFFFFFFFFL) {
                if (tag == PIXEL_DATA) {
                    readFragments();
                } else {
                    skipSequence();
                }
                continue;
            }
            value(tag, pos, (int) length);
            pos += (int) length;
        }
    }

    private void value(int tag, int at, int length) {
        switch (tag) {
            case 0x00020010 -> transferSyntax = string(at, length);
            case 0x00280010 -> rows = u16(at);
            case 0x00280011 -> columns = u16(at);
            case 0x00280100 -> bitsAllocated = u16(at);
            case 0x00280101 -> bitsStored = u16(at);
            case 0x00280103 -> signed = u16(at) == 1;
            case 0x00281052 -> intercept = Double.parseDouble(string(at, length));
            case 0x00281053 -> slope = Double.parseDouble(string(at, length));
            case 0x00200032 -> position = string(at, length);
            case PIXEL_DATA -> nativePixels = java.util.Arrays.copyOfRange(b, at, at + length);
            default -> { }
        }
    }

    private void readFragments() {
        while (true) {
            int tag = u16(pos) << 16 | u16(pos + 2);
            int length = (int) u32(pos + 4);
            pos += 8;
            if (tag == SEQUENCE_END) {
                return;
            }
            fragments.add(java.util.Arrays.copyOfRange(b, pos, pos + length));
            pos += length;
        }
    }

    /** A sequence of undefined length: items of defined length, or of explicit VR elements up to an item end. */
    private void skipSequence() {
        while (true) {
            int tag = u16(pos) << 16 | u16(pos + 2);
            long length = u32(pos + 4);
            pos += 8;
            if (tag == SEQUENCE_END) {
                return;
            }
            if (tag != ITEM) {
                throw new IllegalStateException("expected an item at byte " + (pos - 8));
            }
            if (length == 0xFFFFFFFFL) {
                readElementsOfItem();
            } else {
                pos += (int) length;
            }
        }
    }

    private void readElementsOfItem() {
        // Values inside sequences are not needed: parse only to find the item's end.
        TestDicom nested = new TestDicom(b);
        nested.pos = pos;
        nested.readElements(b.length, true);
        pos = nested.pos;
    }

    private String string(int at, int length) {
        return new String(b, at, length, StandardCharsets.US_ASCII).trim().replace("\0", "");
    }

    private int u16(int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private long u32(int at) {
        return (u16(at) | (long) u16(at + 2) << 16) & 0xFFFFFFFFL;
    }
}
