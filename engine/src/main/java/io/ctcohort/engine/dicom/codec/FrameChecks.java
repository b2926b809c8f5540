package io.ctcohort.engine.dicom.codec;

import java.io.IOException;

/** Checks every decoder makes before touching a frame, so that no header can make it allocate more than the format allows. */
final class FrameChecks {
    /** DICOM Rows and Columns are US: a frame never has more pixels than this. */
    private static final long MAX_PIXELS = 65535L * 65535L;

    private FrameChecks() {
    }

    /**
     * Validates the caller's format and output range (a caller error is an IllegalArgumentException:
     * it is no fault of the frame).
     */
    static void checkCall(byte[] frame, FrameFormat format, short[] out, int offset) {
        if (frame == null || format == null || out == null) {
            throw new IllegalArgumentException("frame, format and out must not be null");
        }
        if (format.rows() <= 0 || format.columns() <= 0 || (long) format.rows() * format.columns() > MAX_PIXELS) {
            throw new IllegalArgumentException("invalid frame size " + format.columns() + "x" + format.rows());
        }
        if (format.bitsAllocated() != 8 && format.bitsAllocated() != 16) {
            throw new IllegalArgumentException("BitsAllocated " + format.bitsAllocated() + " is not 8 or 16");
        }
        if (format.bitsStored() < 1 || format.bitsStored() > format.bitsAllocated()) {
            throw new IllegalArgumentException("BitsStored " + format.bitsStored() + " outside 1.." + format.bitsAllocated());
        }
        if (offset < 0 || (long) offset + format.pixels() > out.length) {
            throw new IllegalArgumentException("out has " + out.length + " samples, frame needs " + format.pixels()
                    + " from offset " + offset);
        }
    }

    /** A single-component JPEG frame header against the data set: precision, then size. */
    static void checkFrame(String codec, JpegSegments.FrameHeader sof, FrameFormat format) throws IOException {
        checkPrecision(codec, sof.precision(), format);
        checkSize(codec, sof.columns(), sof.rows(), format);
    }

    /** A stream's own size must be the data set's: anything else is a different image. */
    static void checkSize(String codec, int columns, int rows, FrameFormat format) throws IOException {
        if (columns != format.columns() || rows != format.rows()) {
            throw new IOException(codec + " frame is " + columns + "x" + rows + ", the data set says "
                    + format.columns() + "x" + format.rows());
        }
    }

    /**
     * A stream's sample precision must fit BitsAllocated. It may exceed BitsStored (dcmtk writes
     * 16-bit streams for BitsStored 12; the caller masks) or fall short of it.
     */
    static void checkPrecision(String codec, int precision, FrameFormat format) throws IOException {
        if (precision < 2) {
            throw new IOException(codec + " frame has an invalid sample precision of " + precision + " bits");
        }
        if (precision > format.bitsAllocated()) {
            throw new IOException(codec + " frame has " + precision + "-bit samples, more than BitsAllocated "
                    + format.bitsAllocated());
        }
    }
}
