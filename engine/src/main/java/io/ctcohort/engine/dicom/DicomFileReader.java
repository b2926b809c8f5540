package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.DicomException.Problem;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads one DICOM Part 10 file (or a bare little-endian data set without preamble) in one
 * forward pass: the file meta information, then the data set in implicit or explicit VR little
 * endian, deflated where the syntax says so. Only the attributes of {@link DicomAttributes#KEPT}
 * are held; every other value, sequences included, is skipped without being decoded, so patient
 * names and other identifiers are never in memory as text. With {@code withPixels} false the
 * reader stops at the pixel data element: a header read costs the first few kilobytes.
 *
 * <p>Written here rather than taken from a library because the maintained Java DICOM toolkit
 * (dcm4che) is not on Maven Central; what ctcohort needs is this small subset.
 */
public final class DicomFileReader {
    /** Longest value of a kept attribute; longer is a corrupt file, not a CT header. */
    private static final int MAX_KEPT_VALUE = 1 << 16;
    /** Longest pixel data or fragment accepted (Java arrays end near 2^31). */
    private static final long MAX_PIXEL_BYTES = Integer.MAX_VALUE - 8;
    private static final int MAX_NESTING = 32;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";

    private final String name;
    private final boolean withPixels;
    private final Map<Integer, byte[]> kept = new HashMap<>();
    private LittleEndianInput in;
    private PixelData pixels;

    private DicomFileReader(String name, boolean withPixels) {
        this.name = name;
        this.withPixels = withPixels;
    }

    /**
     * Reads one file from {@code stream} (not closed here).
     *
     * @param name       the file's name or URI, for messages
     * @param withPixels read the pixel data too, else stop in front of it
     * @throws DicomException NOT_DICOM for a file that is no DICOM at all, TRUNCATED or MALFORMED
     */
    public static DicomFile read(InputStream stream, String name, boolean withPixels) {
        return new DicomFileReader(name, withPixels).readFile(stream);
    }

    private DicomFile readFile(InputStream stream) {
        try {
            // A header ends within a few kilobytes: a small buffer reads little more than it.
            BufferedInputStream buffered = new BufferedInputStream(stream, withPixels ? 1 << 16 : 1 << 13);
            String syntax = readPreambleAndMeta(buffered);
            if (syntax.equals(EXPLICIT_BE)) {
                throw new DicomException(name, Problem.UNSUPPORTED_TRANSFER_SYNTAX,
                        "transfer syntax " + syntax + " (explicit VR big endian, retired) is not supported");
            }
            if (syntax.equals(DEFLATED)) {
                in = new LittleEndianInput(new BufferedInputStream(
                        new InflaterInputStream(buffered, new Inflater(true), 1 << 16), 1 << 16));
            }
            readDataSet(!syntax.equals(IMPLICIT_LE), 0, false);
            return new DicomFile(name, syntax, new DicomAttributes(kept), pixels);
        } catch (EOFException e) {
            throw new DicomException(name, Problem.TRUNCATED, "file ends early (truncated DICOM file)", e);
        } catch (ZipException e) {
            throw new DicomException(name, Problem.MALFORMED, "corrupt deflated data set: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DicomException(name, Problem.MALFORMED, "cannot be read: " + e, e);
        }
    }

    /** Returns the transfer syntax UID; leaves {@link #in} at the first data set element. */
    private String readPreambleAndMeta(BufferedInputStream s) throws IOException {
        s.mark(132);
        byte[] head = s.readNBytes(132);
        boolean part10 = head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C'
                && head[131] == 'M';
        if (!part10) {
            // A bare data set (no preamble): accepted when it starts with a plausible group.
            s.reset();
            int group = head.length >= 2 ? (head[0] & 0xFF) | (head[1] & 0xFF) << 8 : -1;
            if (group != 0x0002 && group != 0x0008) {
                throw new DicomException(name, Problem.NOT_DICOM, "not a DICOM file (no DICM marker)");
            }
        }
        in = new LittleEndianInput(s);
        String syntax = null;
        while (true) {
            s.mark(8);
            int first = s.read();
            if (first < 0) {
                break;
            }
            s.reset();
            int tag = in.tag();
            if (tag >>> 16 != 0x0002) {
                s.reset(); // the first data set element: leave it unread
                break;
            }
            String vr = in.ascii2();
            long length = isLongVr(vr) ? in.skipAndUint32() : in.uint16();
            if (tag == Tag.TRANSFER_SYNTAX_UID) {
                syntax = new String(in.bytes(boundedKept(tag, length)), StandardCharsets.US_ASCII).trim()
                        .replace("\0", "");
            } else {
                in.skip(length);
            }
        }
        // No meta information: DICOM's default syntax.
        return syntax == null ? IMPLICIT_LE : syntax;
    }

    /**
     * Reads elements until the end of the stream, an item delimitation (nested) or the pixel
     * data. Returns true when reading should stop (pixel data reached without pixels wanted).
     */
    private boolean readDataSet(boolean explicit, int depth, boolean nested) throws IOException {
        if (depth > MAX_NESTING) {
            throw new DicomException(name, Problem.MALFORMED, "sequences nested deeper than " + MAX_NESTING);
        }
        while (true) {
            if (!nested && in.atEnd()) {
                return false;
            }
            int tag = in.tag();
            if (tag == Tag.ITEM_DELIMITATION) {
                in.uint32();
                return false;
            }
            if (tag == Tag.SEQUENCE_DELIMITATION || tag == Tag.ITEM) {
                throw new DicomException(name, Problem.MALFORMED, "unexpected delimiter " + Tag.toString(tag));
            }
            String vr = null;
            long length;
            if (explicit) {
                vr = in.ascii2();
                length = isLongVr(vr) ? in.skipAndUint32() : in.uint16();
            } else {
                length = in.uint32();
            }
            if (tag == Tag.PIXEL_DATA && depth == 0) {
                if (!withPixels) {
                    return true;
                }
                pixels = length == UNDEFINED ? readFragments() : PixelData.ofNative(in.bytes(boundedPixels(length)));
                return true;
            }
            if (length == UNDEFINED) {
                // A sequence (SQ, or UN of undefined length whose content is implicit VR: PS3.5 6.2.2).
                skipSequence(explicit && !"UN".equals(vr), depth + 1);
            } else if (depth == 0 && DicomAttributes.KEPT.contains(tag)) {
                kept.put(tag, in.bytes(boundedKept(tag, length)));
            } else {
                in.skip(length);
            }
        }
    }

    private void skipSequence(boolean explicit, int depth) throws IOException {
        while (true) {
            int tag = in.tag();
            long length = in.uint32();
            if (tag == Tag.SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != Tag.ITEM) {
                throw new DicomException(name, Problem.MALFORMED, "expected an item in a sequence, found "
                        + Tag.toString(tag));
            }
            if (length == UNDEFINED) {
                readDataSet(explicit, depth, true);
            } else {
                in.skip(length);
            }
        }
    }

    /** Encapsulated pixel data: the basic offset table item, then fragments up to the delimiter. */
    private PixelData readFragments() throws IOException {
        List<byte[]> fragments = new ArrayList<>();
        boolean offsetTable = true;
        long total = 0;
        while (true) {
            int tag = in.tag();
            long length = in.uint32();
            if (tag == Tag.SEQUENCE_DELIMITATION) {
                return PixelData.ofFragments(fragments);
            }
            if (tag != Tag.ITEM || length == UNDEFINED) {
                throw new DicomException(name, Problem.MALFORMED, "corrupt encapsulated pixel data: found "
                        + Tag.toString(tag) + " where a fragment item was expected");
            }
            total += length;
            if (offsetTable) {
                in.skip(length);
                offsetTable = false;
            } else {
                boundedPixels(total);
                fragments.add(in.bytes((int) length));
            }
        }
    }

    private int boundedKept(int tag, long length) {
        if (length > MAX_KEPT_VALUE) {
            throw new DicomException(name, Problem.MALFORMED, "value of " + Tag.toString(tag) + " claims " + length
                    + " bytes (corrupt header)");
        }
        return (int) length;
    }

    private int boundedPixels(long length) {
        if (length > MAX_PIXEL_BYTES) {
            throw new DicomException(name, Problem.IMAGE_TOO_LARGE, "pixel data of " + length
                    + " bytes is larger than one array can hold");
        }
        return (int) length;
    }

    /** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 7.1.2). */
    private static boolean isLongVr(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    /** Little-endian primitives over a stream; every short read is an EOFException. */
    private static final class LittleEndianInput {
        private final InputStream s;
        private final byte[] b = new byte[4];

        LittleEndianInput(InputStream s) {
            this.s = s;
        }

        boolean atEnd() throws IOException {
            if (s.markSupported()) {
                s.mark(1);
                int c = s.read();
                s.reset();
                return c < 0;
            }
            throw new IllegalStateException("stream without mark");
        }

        int tag() throws IOException {
            int group = uint16();
            return group << 16 | uint16();
        }

        int uint16() throws IOException {
            fill(2);
            return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        }

        long uint32() throws IOException {
            fill(4);
            return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        }

        long skipAndUint32() throws IOException {
            fill(2);
            return uint32();
        }

        String ascii2() throws IOException {
            fill(2);
            return new String(b, 0, 2, StandardCharsets.US_ASCII);
        }

        byte[] bytes(int n) throws IOException {
            byte[] out = s.readNBytes(n);
            if (out.length < n) {
                throw new EOFException("wanted " + n + " bytes, got " + out.length);
            }
            return out;
        }

        void skip(long n) throws IOException {
            s.skipNBytes(n);
        }

        private void fill(int n) throws IOException {
            if (s.readNBytes(b, 0, n) < n) {
                throw new EOFException();
            }
        }
    }
}
