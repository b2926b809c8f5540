package io.ctcohort.engine.dicom;

import java.util.List;

/**
 * Pixel data (7FE0,0010) as stored: native little-endian samples, or the fragments of
 * encapsulated (compressed) frames without the basic offset table.
 */
public record PixelData(byte[] nativeBytes, List<byte[]> fragments) {
    public static PixelData ofNative(byte[] bytes) {
        return new PixelData(bytes, null);
    }

    public static PixelData ofFragments(List<byte[]> fragments) {
        return new PixelData(null, List.copyOf(fragments));
    }

    public boolean encapsulated() {
        return fragments != null;
    }
}
