package io.ctcohort.engine.dicom.codec;

import java.io.IOException;

/**
 * Checks a JPEG 2000 frame's structure before jai-imageio sees it: image size, component count and
 * precision from SIZ, and an unbroken chain of tile-parts (each SOT's Psot length) ending in EOC.
 * jj2000 treats a short codestream as a progressive one and silently decodes what is there, so a
 * truncated frame must be caught here.
 */
final class J2kCodestream {
    private static final String CODEC = "JPEG 2000";
    private static final int SOC = 0xFF4F;
    private static final int SIZ = 0xFF51;
    private static final int SOT = 0xFF90;
    private static final int EOC = 0xFFD9;
    private static final int JP2C = 0x6A703263; // 'jp2c': the codestream box of a JP2 file

    private J2kCodestream() {
    }

    static void check(byte[] frame, FrameFormat format) throws IOException {
        int start = codestreamStart(frame);
        int end = frame.length;
        if (end - start < 4 || u16(frame, start) != SOC || u16(frame, start + 2) != SIZ) {
            throw new IOException(CODEC + " frame does not start with SOC and SIZ markers");
        }
        int pos = checkSiz(frame, start + 4, format);
        // Main header segments up to the first tile-part.
        while (true) {
            if (pos + 4 > end) {
                throw new IOException(CODEC + " frame ends in its main header, before any tile-part");
            }
            if (u16(frame, pos) == SOT) {
                break;
            }
            if (frame[pos] != (byte) 0xFF) {
                throw new IOException(CODEC + " main header has no marker at byte " + pos);
            }
            pos += 2 + lengthWithin(frame, pos + 2, end);
        }
        checkTileParts(frame, pos, end);
    }

    /** A DICOM fragment should hold a bare codestream; some writers wrap it in a JP2 file. */
    private static int codestreamStart(byte[] frame) throws IOException {
        if (frame.length >= 12 && u32(frame, 0) == 12 && u32(frame, 4) == 0x6A502020) {
            int pos = 0;
            while (pos + 8 <= frame.length) {
                long length = u32(frame, pos) & 0xFFFFFFFFL;
                int header = 8;
                if (length == 1 && pos + 16 <= frame.length) {
                    length = ((u32(frame, pos + 8) & 0xFFFFFFFFL) << 32) | (u32(frame, pos + 12) & 0xFFFFFFFFL);
                    header = 16;
                } else if (length == 0) {
                    length = frame.length - pos;
                }
                if (u32(frame, pos + 4) == JP2C) {
                    return pos + header;
                }
                if (length < header || length > frame.length - pos) {
                    break;
                }
                pos += (int) length;
            }
            throw new IOException(CODEC + " frame is a JP2 file without a codestream box");
        }
        return 0;
    }

    /** SIZ: Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz, then Ssiz XRsiz YRsiz per component. */
    private static int checkSiz(byte[] b, int at, FrameFormat format) throws IOException {
        int length = lengthWithin(b, at, b.length);
        if (length < 41) {
            throw new IOException(CODEC + " SIZ segment is " + length + " bytes, too short");
        }
        long xsiz = u32(b, at + 4) & 0xFFFFFFFFL;
        long ysiz = u32(b, at + 8) & 0xFFFFFFFFL;
        long x0 = u32(b, at + 12) & 0xFFFFFFFFL;
        long y0 = u32(b, at + 16) & 0xFFFFFFFFL;
        long tileWidth = u32(b, at + 20) & 0xFFFFFFFFL;
        long tileHeight = u32(b, at + 24) & 0xFFFFFFFFL;
        int components = u16(b, at + 36);
        if (components != 1) {
            throw new IOException(CODEC + " frame has " + components + " components, expected 1");
        }
        if (xsiz <= x0 || ysiz <= y0 || xsiz - x0 > 65535 || ysiz - y0 > 65535 || tileWidth == 0 || tileHeight == 0) {
            throw new IOException(CODEC + " SIZ segment has an invalid image or tile size");
        }
        FrameChecks.checkSize(CODEC, (int) (xsiz - x0), (int) (ysiz - y0), format);
        FrameChecks.checkPrecision(CODEC, (b[at + 38] & 0x7F) + 1, format);
        if (b[at + 39] != 1 || b[at + 40] != 1) {
            throw new IOException(CODEC + " component is subsampled, which no DICOM image is");
        }
        return at + length;
    }

    /** Each SOT gives its tile-part's length (Psot); 0 means "up to EOC" and is only allowed last. */
    private static void checkTileParts(byte[] b, int pos, int end) throws IOException {
        while (true) {
            if (pos + 2 > end) {
                throw new IOException(CODEC + " frame is truncated: it ends at byte " + end + " without an EOC marker");
            }
            int marker = u16(b, pos);
            if (marker == EOC) {
                return; // bytes after EOC are padding (DICOM fragments have even length)
            }
            if (marker != SOT || pos + 12 > end) {
                throw new IOException(CODEC + " frame has no tile-part (SOT) or EOC marker at byte " + pos);
            }
            long psot = u32(b, pos + 6) & 0xFFFFFFFFL;
            if (psot == 0) {
                if (end - pos < 14 || !endsWithEoc(b, pos + 12, end)) {
                    throw new IOException(CODEC + " frame is truncated: its last tile-part has no EOC marker");
                }
                return;
            }
            if (psot < 14 || psot > end - pos) {
                throw new IOException(CODEC + " frame is truncated: a tile-part at byte " + pos + " has length "
                        + psot + " but only " + (end - pos) + " bytes remain");
            }
            pos += (int) psot;
        }
    }

    private static boolean endsWithEoc(byte[] b, int from, int end) {
        int last = end;
        while (last > from && b[last - 1] == 0) {
            last--; // even-length padding
        }
        return last - from >= 2 && u16(b, last - 2) == EOC;
    }

    private static int lengthWithin(byte[] b, int at, int end) throws IOException {
        if (at + 2 > end) {
            throw new IOException(CODEC + " frame ends inside a marker segment at byte " + at);
        }
        int length = u16(b, at);
        if (length < 2 || at + length > end) {
            throw new IOException(CODEC + " marker segment at byte " + (at - 2) + " has length " + length
                    + ", past the end of the frame");
        }
        return length;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int u32(byte[] b, int at) {
        return u16(b, at) << 16 | u16(b, at + 2);
    }
}
