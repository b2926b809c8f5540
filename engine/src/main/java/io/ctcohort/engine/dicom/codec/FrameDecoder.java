package io.ctcohort.engine.dicom.codec;

import java.io.IOException;

/** Decodes one compressed frame (single sample per pixel) of encapsulated pixel data. */
public interface FrameDecoder {
    /**
     * Writes the frame's stored sample values to {@code out[offset + row * columns + column]} as
     * 16-bit words: the stored bit pattern (an unsigned sample of up to 16 bits, or a signed one
     * sign-extended or not). The caller masks to BitsStored and applies PixelRepresentation, so
     * either form of a signed sample gives the same value.
     *
     * @throws IOException the frame is corrupt or does not match {@code format} (message says how)
     */
    void decode(byte[] frame, FrameFormat format, short[] out, int offset) throws IOException;
}
