package io.ctcohort.engine.dicom.codec;

import java.io.IOException;
import java.util.Arrays;

/**
 * DICOM RLE lossless (PS3.5 Annex G): a 64-byte header (segment count, then 15 little-endian
 * offsets) and one PackBits segment per byte plane, most significant plane first. Own code: the
 * format is a page of the standard.
 */
public final class RleDecoder implements FrameDecoder {
    private static final int HEADER_BYTES = 64;

    @Override
    public void decode(byte[] frame, FrameFormat format, short[] out, int offset) throws IOException {
        FrameChecks.checkCall(frame, format, out, offset);
        int planes = format.bitsAllocated() / 8;
        int pixels = format.pixels();
        if (frame.length < HEADER_BYTES) {
            throw new IOException("RLE frame of " + frame.length + " bytes is shorter than its 64-byte header");
        }
        int segments = readInt(frame, 0);
        if (segments != planes) {
            throw new IOException("RLE frame has " + Integer.toUnsignedString(segments) + " segments, expected "
                    + planes + " for " + format.bitsAllocated() + "-bit samples");
        }
        int[] start = new int[planes + 1];
        for (int s = 0; s < planes; s++) {
            start[s] = readInt(frame, 4 + 4 * s);
            int low = s == 0 ? HEADER_BYTES : start[s - 1];
            if (Integer.compareUnsigned(start[s], frame.length) > 0) {
                throw new IOException("RLE frame is truncated: segment " + s + " starts at byte "
                        + Integer.toUnsignedString(start[s]) + " of a " + frame.length + "-byte frame");
            }
            if (start[s] < low) {
                throw new IOException("RLE segment " + s + " starts at byte " + start[s] + ", before byte " + low);
            }
        }
        start[planes] = frame.length;
        byte[] plane = new byte[pixels];
        for (int s = 0; s < planes; s++) {
            unpack(frame, start[s], start[s + 1], plane, s);
            int shift = 8 * (planes - 1 - s);
            if (s == 0) {
                for (int i = 0; i < pixels; i++) {
                    out[offset + i] = (short) ((plane[i] & 0xFF) << shift);
                }
            } else {
                for (int i = 0; i < pixels; i++) {
                    out[offset + i] |= (short) ((plane[i] & 0xFF) << shift);
                }
            }
        }
    }

    /**
     * PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is
     * a no-op. Stops once the plane is full: encoders pad segments to even length, so trailing
     * bytes are normal, and a run crossing the plane end is clipped (as GDCM does).
     */
    private static void unpack(byte[] in, int pos, int end, byte[] plane, int segment) throws IOException {
        int n = 0;
        while (n < plane.length) {
            if (pos >= end) {
                throw new IOException("RLE segment " + segment + " ends after " + n + " of " + plane.length
                        + " bytes (a truncated frame, or one of another size)");
            }
            int header = in[pos++];
            if (header >= 0) {
                int count = Math.min(header + 1, plane.length - n);
                if (end - pos < count) {
                    throw new IOException("RLE segment " + segment + " ends inside a literal run at byte " + n
                            + " of " + plane.length);
                }
                System.arraycopy(in, pos, plane, n, count);
                pos += header + 1;
                n += count;
            } else if (header != -128) {
                if (pos >= end) {
                    throw new IOException("RLE segment " + segment + " ends inside a repeat run at byte " + n
                            + " of " + plane.length);
                }
                int count = Math.min(1 - header, plane.length - n);
                Arrays.fill(plane, n, n + count, in[pos++]);
                n += count;
            }
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
