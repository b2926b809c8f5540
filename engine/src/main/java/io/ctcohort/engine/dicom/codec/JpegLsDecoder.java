package io.ctcohort.engine.dicom.codec;

import java.io.IOException;
import java.util.List;

/**
 * JPEG-LS (ITU-T T.87), lossless and near-lossless, one component of 2 to 16 bits, default or
 * preset (LSE) coding parameters, restart intervals. Own code: no pure-Java JPEG-LS decoder is on
 * Maven Central (dcm4che's is not published there, CharLS is native, ImageIO has none).
 */
public final class JpegLsDecoder implements FrameDecoder {
    private static final String CODEC = "JPEG-LS";

    @Override
    public void decode(byte[] frame, FrameFormat format, short[] out, int offset) throws IOException {
        FrameChecks.checkCall(frame, format, out, offset);
        List<JpegSegments.Segment> header = JpegSegments.untilScan(CODEC, frame);
        JpegSegments.FrameHeader sof = JpegSegments.singleComponent(CODEC, frame, header, JpegSegments.SOF55,
                "the JPEG-LS SOF55", 9);
        if (sof.rows() == 0 || sof.columns() == 0) {
            throw new IOException(CODEC + " frame gives its size in an LSE extension (Y or X is 0), not supported");
        }
        FrameChecks.checkFrame(CODEC, sof, format);

        int[] presets = new int[5]; // MAXVAL T1 T2 T3 RESET, 0 = default
        int restartInterval = 0;
        for (JpegSegments.Segment s : header) {
            if (s.marker() == JpegSegments.LSE) {
                readPresets(frame, s, presets);
            } else if (s.marker() == JpegSegments.DRI) {
                restartInterval = readRestartInterval(frame, s);
            }
        }
        JpegSegments.Segment sos = header.get(header.size() - 1);
        if (sos.length() < 6 || JpegSegments.u8(frame, sos.start()) != 1) {
            throw new IOException(CODEC + " scan must hold exactly one component");
        }
        if (JpegSegments.u8(frame, sos.start() + 2) != 0) {
            throw new IOException(CODEC + " scan uses a mapping table (palette), not supported");
        }
        int near = JpegSegments.u8(frame, sos.start() + 3);
        int pointTransform = JpegSegments.u8(frame, sos.start() + 5) & 0x0F;
        if (pointTransform != 0) {
            throw new IOException(CODEC + " scan uses point transform " + pointTransform + ", not supported");
        }
        JpegLsParameters parameters = JpegLsParameters.resolve(sof.precision(), near,
                presets[0], presets[1], presets[2], presets[3], presets[4]);
        JpegLsBitReader bits = new JpegLsBitReader(frame, sos.end(), frame.length);
        new JpegLsScan(parameters, bits, sof.columns(), sof.rows(), restartInterval).decode(out, offset);
    }

    /** LSE type 1 (C.2.4.1.1): MAXVAL T1 T2 T3 RESET, 16 bits each. Other types are colour or size extensions. */
    private static void readPresets(byte[] frame, JpegSegments.Segment s, int[] presets) throws IOException {
        int type = s.length() > 0 ? JpegSegments.u8(frame, s.start()) : -1;
        if (type != 1) {
            throw new IOException(CODEC + " LSE segment of type " + type + " is not supported (only preset parameters)");
        }
        if (s.length() < 11) {
            throw new IOException(CODEC + " LSE segment is " + s.length() + " bytes, too short for preset parameters");
        }
        for (int i = 0; i < 5; i++) {
            presets[i] = JpegSegments.u16(frame, s.start() + 1 + 2 * i);
        }
    }

    /** DRI: the restart interval in lines, 2 to 4 bytes in JPEG-LS. */
    private static int readRestartInterval(byte[] frame, JpegSegments.Segment s) throws IOException {
        if (s.length() < 2 || s.length() > 4) {
            throw new IOException(CODEC + " DRI segment has length " + s.length());
        }
        long interval = 0;
        for (int i = 0; i < s.length(); i++) {
            interval = interval << 8 | JpegSegments.u8(frame, s.start() + i);
        }
        return (int) Math.min(interval, Integer.MAX_VALUE);
    }
}
