package io.ctcohort.engine.dicom.codec;

import io.ctcohort.engine.dicom.DicomAttributes;
import io.ctcohort.engine.dicom.DicomFile;
import io.ctcohort.engine.dicom.DicomFileReader;
import io.ctcohort.engine.dicom.Tag;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** TEST ONLY: the header values and pixel data the codec tests need, read with DicomFileReader. */
final class TestDicom {
    final String transferSyntax;
    final int rows;
    final int columns;
    final int bitsAllocated;
    final int bitsStored;
    final boolean signed;
    final double slope;
    final double intercept;
    /** ImagePositionPatient as written, to match slices across series. */
    final String position;
    final byte[] nativePixels;
    final List<byte[]> fragments;

    private TestDicom(DicomFile f) {
        DicomAttributes a = f.attributes();
        transferSyntax = f.transferSyntaxUid();
        rows = a.uint16(Tag.ROWS, 0);
        columns = a.uint16(Tag.COLUMNS, 0);
        bitsAllocated = a.uint16(Tag.BITS_ALLOCATED, 0);
        bitsStored = a.uint16(Tag.BITS_STORED, bitsAllocated);
        signed = a.uint16(Tag.PIXEL_REPRESENTATION, 0) == 1;
        slope = a.number(Tag.RESCALE_SLOPE, 1);
        intercept = a.number(Tag.RESCALE_INTERCEPT, 0);
        position = a.string(Tag.IMAGE_POSITION_PATIENT) == null ? "" : a.string(Tag.IMAGE_POSITION_PATIENT);
        nativePixels = f.pixelData().encapsulated() ? null : f.pixelData().nativeBytes();
        fragments = f.pixelData().encapsulated() ? f.pixelData().fragments() : List.of();
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
        return new TestDicom(DicomFileReader.read(new ByteArrayInputStream(bytes), "test file", true));
    }

    FrameFormat format() {
        return new FrameFormat(rows, columns, bitsAllocated, bitsStored, signed);
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

    /** The single frame: all fragments joined. */
    byte[] frame() {
        if (fragments.size() == 1) {
            return fragments.get(0);
        }
        int n = fragments.stream().mapToInt(f -> f.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] f : fragments) {
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }
}
