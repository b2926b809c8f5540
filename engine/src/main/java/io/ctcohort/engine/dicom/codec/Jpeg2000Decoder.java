package io.ctcohort.engine.dicom.codec;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;

import javax.imageio.spi.ImageReaderSpi;
import java.io.IOException;

/**
 * JPEG 2000 (lossless 5/3, or any other jj2000 reads), one component up to 16 bits, signed or
 * unsigned, through jai-imageio-jpeg2000. Its provider is instantiated directly (see
 * ImageIoFrames); the codestream's structure is checked first (see J2kCodestream).
 */
public final class Jpeg2000Decoder implements FrameDecoder {
    private static final String CODEC = "JPEG 2000";
    private static final ImageReaderSpi PROVIDER = new J2KImageReaderSpi();

    @Override
    public void decode(byte[] frame, FrameFormat format, short[] out, int offset) throws IOException {
        FrameChecks.checkCall(frame, format, out, offset);
        J2kCodestream.check(frame, format);
        ImageIoFrames.read(PROVIDER, new EofSignallingInputStream(frame), CODEC, format, out, offset);
    }
}
