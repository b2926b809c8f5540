package io.ctcohort.engine.dicom;

import java.util.Optional;

/**
 * The transfer syntaxes ctcohort reads: how a file's data set is encoded (VR implicit or explicit,
 * deflated) and, for encapsulated ones, how each frame of pixel data is compressed. Big endian and
 * lossy syntaxes are not listed: a file in any syntax not listed here is refused, naming the UID.
 */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false, false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false, false),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, true, false),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", true, false, true),
    /** JPEG lossless, non-hierarchical, first-order prediction (process 14, selection value 1). */
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, false, true),
    /** JPEG lossless, non-hierarchical (process 14), any predictor. */
    JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", true, false, true),
    JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, false, true),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, false, true);

    private final String uid;
    private final boolean explicitVr;
    private final boolean deflated;
    private final boolean encapsulated;

    TransferSyntax(String uid, boolean explicitVr, boolean deflated, boolean encapsulated) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.deflated = deflated;
        this.encapsulated = encapsulated;
    }

    public String uid() {
        return uid;
    }

    /** Data set elements carry their VR (every syntax but implicit VR little endian). */
    public boolean explicitVr() {
        return explicitVr;
    }

    /** The data set after the file meta information is a raw deflate stream. */
    public boolean deflated() {
        return deflated;
    }

    /** Pixel data is a sequence of compressed fragments rather than native samples. */
    public boolean encapsulated() {
        return encapsulated;
    }

    public static Optional<TransferSyntax> of(String uid) {
        for (TransferSyntax ts : values()) {
            if (ts.uid.equals(uid)) {
                return Optional.of(ts);
            }
        }
        return Optional.empty();
    }
}
