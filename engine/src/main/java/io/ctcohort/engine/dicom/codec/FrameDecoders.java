package io.ctcohort.engine.dicom.codec;

import io.ctcohort.engine.dicom.TransferSyntax;

/** The frame decoder of each encapsulated transfer syntax. */
public final class FrameDecoders {
    private FrameDecoders() {
    }

    public static FrameDecoder forSyntax(TransferSyntax ts) {
        throw new IllegalArgumentException("no decoder for " + ts);
    }
}
