package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.DicomException.Problem;
import io.ctcohort.engine.image.CtVolume;
import java.io.IOException;

/**
 * One slice's pixel data to HU: stored value (BitsStored bits below HighBit, sign-extended when
 * PixelRepresentation is 1) x RescaleSlope + RescaleIntercept of that slice, cast to int16 as
 * the NIfTI path does ({@link CtVolume#toHu}).
 */
final class SliceDecoder {
    private SliceDecoder() {
    }

    /** Writes the slice's rows x columns HU to {@code hu[offset ..]}. */
    static void decode(DicomFile file, DicomSlice slice, short[] hu, int offset) {
        PixelData pixels = file.pixelData();
        if (pixels == null) {
            throw new DicomException(file.name(), Problem.CORRUPT_PIXEL_DATA, "image has no pixel data (7FE0,0010)");
        }
        int n = slice.rows() * slice.columns();
        if (pixels.encapsulated()) {
            short[] words = new short[n];
            decodeFrame(file, slice, pixels, words);
            toHu(slice, words, hu, offset, 0);
        } else {
            short[] words = nativeWords(file, slice, pixels.nativeBytes(), n);
            toHu(slice, words, hu, offset, slice.highBit() + 1 - slice.bitsStored());
        }
    }

    private static short[] nativeWords(DicomFile file, DicomSlice slice, byte[] b, int n) {
        int bytesPer = slice.bitsAllocated() / 8;
        if (b.length < (long) n * bytesPer) {
            throw new DicomException(file.name(), Problem.CORRUPT_PIXEL_DATA, "pixel data holds " + b.length
                    + " bytes where " + slice.columns() + "x" + slice.rows() + " pixels of " + slice.bitsAllocated()
                    + " bits need " + (long) n * bytesPer);
        }
        short[] w = new short[n];
        if (bytesPer == 2) {
            for (int i = 0; i < n; i++) {
                w[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8);
            }
        } else {
            for (int i = 0; i < n; i++) {
                w[i] = (short) (b[i] & 0xFF);
            }
        }
        return w;
    }

    private static void decodeFrame(DicomFile file, DicomSlice slice, PixelData pixels, short[] words) {
        String uid = file.transferSyntaxUid();
        TransferSyntax ts = TransferSyntax.of(uid).filter(TransferSyntax::encapsulated).orElseThrow(() ->
                new DicomException(file.name(), Problem.UNSUPPORTED_TRANSFER_SYNTAX, "transfer syntax " + uid
                        + " is not supported (readable: native little endian, deflated, RLE, JPEG lossless, "
                        + "JPEG-LS lossless, JPEG 2000 lossless)"));
        try {
            FrameDecoders.forSyntax(ts).decode(frame(pixels), slice.frameFormat(), words, 0);
        } catch (IOException | RuntimeException e) {
            throw new DicomException(file.name(), Problem.CORRUPT_PIXEL_DATA, "cannot decode " + ts + " pixel data: "
                    + e.getMessage(), e);
        }
    }

    /** A single-frame image's fragments are one codestream. */
    private static byte[] frame(PixelData pixels) {
        if (pixels.fragments().size() == 1) {
            return pixels.fragments().get(0);
        }
        int total = 0;
        for (byte[] f : pixels.fragments()) {
            total += f.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] f : pixels.fragments()) {
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }

    private static void toHu(DicomSlice slice, short[] words, short[] hu, int offset, int shift) {
        int bits = slice.bitsStored();
        int mask = (1 << bits) - 1;
        int signBit = 1 << (bits - 1);
        boolean signed = slice.signed();
        double slope = slice.slope();
        double intercept = slice.intercept();
        boolean integral = slope == 1 && intercept == Math.rint(intercept) && Math.abs(intercept) < 1 << 20;
        int shiftInt = (int) intercept;
        for (int i = 0; i < words.length; i++) {
            int v = ((words[i] & 0xFFFF) >>> shift) & mask;
            if (signed && (v & signBit) != 0) {
                v -= 1 << bits;
            }
            if (integral) {
                int h = v + shiftInt;
                hu[offset + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, h));
            } else {
                hu[offset + i] = CtVolume.toHu(v * slope + intercept);
            }
        }
    }
}
