package io.ctcohort.engine.dicom.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The marker segments of a JPEG (T.81) or JPEG-LS (T.87) stream from SOI up to and including the
 * first SOS, each bounded by the frame: how the decoders read sizes before any allocation.
 */
final class JpegSegments {
    static final int SOF3 = 0xC3;
    static final int SOF55 = 0xF7;
    static final int LSE = 0xF8;
    static final int DRI = 0xDD;
    static final int SOS = 0xDA;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;

    /** One marker segment: its code (the byte after 0xFF) and where its payload lies. */
    record Segment(int marker, int start, int length) {
        int end() {
            return start + length;
        }
    }

    private JpegSegments() {
    }

    /** The segments before the entropy-coded data; the last one is the SOS. */
    static List<Segment> untilScan(String codec, byte[] data) throws IOException {
        if (data.length < 2 || u8(data, 0) != 0xFF || u8(data, 1) != SOI) {
            throw new IOException(codec + " frame does not start with an SOI marker");
        }
        List<Segment> segments = new ArrayList<>();
        int pos = 2;
        while (true) {
            if (pos >= data.length) {
                throw new IOException(codec + " frame ends at byte " + pos + " before its scan");
            }
            if (u8(data, pos) != 0xFF) {
                throw new IOException(codec + " frame has no marker at byte " + pos);
            }
            while (pos < data.length && u8(data, pos) == 0xFF) {
                pos++; // fill bytes may precede any marker
            }
            if (pos >= data.length) {
                throw new IOException(codec + " frame ends at byte " + pos + " before its scan");
            }
            int marker = u8(data, pos++);
            if (marker == EOI) {
                throw new IOException(codec + " frame ends (EOI) before any scan");
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) || marker == SOI) {
                continue; // markers without a length
            }
            if (pos + 2 > data.length) {
                throw new IOException(codec + " frame ends inside marker FF" + hex(marker));
            }
            int length = u16(data, pos);
            if (length < 2 || pos + length > data.length) {
                throw new IOException(codec + " marker FF" + hex(marker) + " at byte " + (pos - 2) + " has length "
                        + length + ", past the end of the " + data.length + "-byte frame");
            }
            segments.add(new Segment(marker, pos + 2, length - 2));
            pos += length;
            if (marker == SOS) {
                return segments;
            }
        }
    }

    /** The first start-of-frame segment (SOF0..SOF15 and SOF55; DHT, JPG, DAC are not frames). */
    static Segment frameHeader(String codec, List<Segment> segments) throws IOException {
        for (Segment s : segments) {
            int m = s.marker();
            if ((m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == SOF55) {
                return s;
            }
        }
        throw new IOException(codec + " frame has no SOF marker before its scan");
    }

    /** Precision and size from a single-component frame header. */
    record FrameHeader(int precision, int rows, int columns) {
    }

    /**
     * The frame header, checked to be the {@code sof} marker ({@code name} in messages), at least
     * {@code minLength} bytes long and of one component.
     */
    static FrameHeader singleComponent(String codec, byte[] frame, List<Segment> header, int sof, String name,
                                       int minLength) throws IOException {
        Segment s = frameHeader(codec, header);
        if (s.marker() != sof) {
            throw new IOException(codec + " frame has a JPEG SOF" + ((s.marker() - 0xC0) & 0xFF) + " marker, not "
                    + name);
        }
        if (s.length() < minLength) {
            throw new IOException(codec + " " + name + " segment is " + s.length() + " bytes, too short");
        }
        int components = u8(frame, s.start() + 5);
        if (components != 1) {
            throw new IOException(codec + " frame has " + components + " components, expected 1");
        }
        return new FrameHeader(u8(frame, s.start()), u16(frame, s.start() + 1), u16(frame, s.start() + 3));
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static String hex(int marker) {
        return String.format("%02X", marker);
    }
}
