package io.ctcohort.engine.dicom.codec;

import javax.imageio.stream.ImageInputStreamImpl;
import java.io.EOFException;

/**
 * An in-memory ImageInputStream whose single-byte read throws EOFException at the end instead of
 * returning -1. jj2000 (inside jai-imageio) reads packet headers bit by bit through read() and
 * takes -1 for a byte of ones: a frame cut inside a packet header then loops forever (measured).
 * jj2000's own contract is an EOFException at the end, which it handles.
 */
final class EofSignallingInputStream extends ImageInputStreamImpl {
    private final byte[] data;

    EofSignallingInputStream(byte[] data) {
        this.data = data;
    }

    @Override
    public int read() throws EOFException {
        bitOffset = 0;
        if (streamPos >= data.length) {
            throw new EOFException("read past the end of the frame");
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            return -1;
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }
}
