package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.codec.FrameDecoder;
import io.ctcohort.engine.dicom.codec.Jpeg2000Decoder;
import io.ctcohort.engine.dicom.codec.JpegLosslessDecoder;
import io.ctcohort.engine.dicom.codec.JpegLsDecoder;
import io.ctcohort.engine.dicom.codec.RleDecoder;

/**
 * The decoder of each encapsulated transfer syntax. Decoders are stateless and thread-safe. Kept
 * beside {@link TransferSyntax} so that {@code dicom.codec} knows nothing of the DICOM reader above it.
 */
public final class FrameDecoders {
    private static final FrameDecoder RLE = new RleDecoder();
    private static final FrameDecoder JPEG_LOSSLESS = new JpegLosslessDecoder();
    private static final FrameDecoder JPEG_LS = new JpegLsDecoder();
    private static final FrameDecoder JPEG_2000 = new Jpeg2000Decoder();

    private FrameDecoders() {
    }

    /** @throws IllegalArgumentException for a native (not encapsulated) syntax: its pixels need no decoder */
    public static FrameDecoder forSyntax(TransferSyntax ts) {
        return switch (ts) {
            case RLE_LOSSLESS -> RLE;
            case JPEG_LOSSLESS_SV1, JPEG_LOSSLESS -> JPEG_LOSSLESS;
            case JPEG_LS_LOSSLESS -> JPEG_LS;
            case JPEG_2000_LOSSLESS -> JPEG_2000;
            case IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN ->
                    throw new IllegalArgumentException(ts + " (" + ts.uid() + ") is native: its pixel data is not compressed");
        };
    }
}
