package io.ctcohort.engine.dicom.codec;

import java.io.IOException;

/**
 * The entropy-coded bits of a JPEG-LS scan, most significant first. After an 0xFF data byte the
 * encoder stuffs a 0 bit (T.87 A.1), so 0xFF followed by a byte >= 0x80 is a marker and ends the
 * data. Past a marker or the frame's end the reader supplies zero bits and counts them: consuming
 * one means the data ran out before the last sample, which is reported as truncation.
 */
final class JpegLsBitReader {
    private static final String CODEC = "JPEG-LS";
    private final byte[] data;
    private final int end;
    private int pos;
    private long cache; // valid bits are the top 'bits' bits
    private int bits;
    private int phantomBits; // zero bits added past the data, still at the tail of the cache
    private boolean afterFF;

    JpegLsBitReader(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    int readBit() throws IOException {
        return readBits(1);
    }

    /** 1 to 31 bits as an unsigned value. */
    int readBits(int n) throws IOException {
        if (bits < n) {
            fill();
        }
        int value = (int) (cache >>> (64 - n));
        cache <<= n;
        bits -= n;
        return value;
    }

    /** Counts 0 bits up to the next 1 bit (consumed too); more than maxZeros means corrupt data. */
    int readUnary(int maxZeros) throws IOException {
        int zeros = 0;
        while (cache == 0) { // only zeros cached: take them all and refill
            zeros += bits;
            bits = 0;
            if (zeros > maxZeros) {
                throw corrupt("a Golomb code longer than LIMIT");
            }
            fill();
        }
        int z = Long.numberOfLeadingZeros(cache); // < bits: bits past the valid ones are 0
        zeros += z;
        if (zeros > maxZeros) {
            throw corrupt("a Golomb code longer than LIMIT");
        }
        cache = z == 63 ? 0 : cache << (z + 1);
        bits -= z + 1;
        return zeros;
    }

    /** After a restart interval: drop its padding bits, read RSTn (mod 8) and start afresh after it. */
    void restart(int expectedIndex) throws IOException {
        checkNotTruncated();
        while (pos < end && (data[pos] & 0xFF) != 0xFF) {
            pos++; // padding the cache did not reach
        }
        while (pos < end && (data[pos] & 0xFF) == 0xFF) {
            pos++;
        }
        if (pos >= end || (data[pos] & 0xFF) != 0xD0 + expectedIndex) {
            throw corrupt("no restart marker RST" + expectedIndex + " after a restart interval");
        }
        pos++;
        cache = 0;
        bits = 0;
        phantomBits = 0;
        afterFF = false;
    }

    /** Called after the last sample: any zero bit consumed past the data means the frame was cut short. */
    void checkNotTruncated() throws IOException {
        if (phantomBits > bits) {
            throw new IOException(CODEC + " frame is truncated: its scan data ends at byte " + pos
                    + " before the last sample");
        }
    }

    IOException corrupt(String what) {
        if (phantomBits > bits) {
            return new IOException(CODEC + " frame is truncated: its scan data ends at byte " + pos
                    + " before the last sample");
        }
        return new IOException("corrupt " + CODEC + " frame: " + what + " near byte " + pos);
    }

    private void fill() {
        while (bits <= 56) {
            if (atMarkerOrEnd()) {
                bits += 8;
                phantomBits += 8;
                continue;
            }
            int b = data[pos++] & 0xFF;
            if (afterFF) {
                cache |= (long) (b & 0x7F) << (57 - bits); // the stuffed 0 bit is skipped
                bits += 7;
            } else {
                cache |= (long) b << (56 - bits);
                bits += 8;
            }
            afterFF = b == 0xFF;
        }
    }

    private boolean atMarkerOrEnd() {
        return pos >= end
                || (data[pos] == (byte) 0xFF && (pos + 1 >= end || (data[pos + 1] & 0x80) != 0));
    }
}
