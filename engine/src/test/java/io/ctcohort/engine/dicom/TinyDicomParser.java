package io.ctcohort.engine.dicom;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Test-only: the elements of a Part 10 file in explicit VR little endian without sequences (what
 * the writer produces and reference/dicom/explicit_le_int16 holds). Independent of the writer's
 * code; it asserts the encoding rules on the way: preamble and DICM, a correct (0002,0000), even
 * value lengths, ascending tags. Not a reader: no implicit VR, no sequences, no other syntaxes.
 */
public final class TinyDicomParser {
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UC", "UR", "UT", "UN");

    public record Element(String vr, byte[] value) {
    }

    private final Map<Integer, Element> elements;

    private TinyDicomParser(Map<Integer, Element> elements) {
        this.elements = elements;
    }

    public static TinyDicomParser parse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("DICM", new String(bytes, 128, 4, StandardCharsets.US_ASCII), file + ": no DICM after preamble");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(132);
        Map<Integer, Element> out = new LinkedHashMap<>();
        int last = -1;
        int metaEnd = -1;
        boolean inMeta = true;
        while (b.hasRemaining()) {
            int start = b.position();
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            String vr = new String(new byte[] {b.get(), b.get()}, StandardCharsets.US_ASCII);
            long length;
            if (LONG_VRS.contains(vr)) {
                assertEquals(0, b.getShort(), "reserved bytes");
                length = b.getInt() & 0xFFFFFFFFL;
            } else {
                length = b.getShort() & 0xFFFF;
            }
            assertNotEquals(0xFFFFFFFFL, length, "undefined lengths are not expected");
            assertEquals(0, length % 2, String.format("(%08X) odd length %d", tag, length));
            assertTrue(Integer.compareUnsigned(tag, last) > 0 || last == -1, String.format("(%08X) not ascending", tag));
            last = tag;
            byte[] value = new byte[(int) length];
            b.get(value);
            out.put(tag, new Element(vr, value));
            if (tag == 0x00020000) {
                metaEnd = b.position() + ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
            } else if (tag >>> 16 != 2 && inMeta) {
                assertEquals(metaEnd, start, "the data set must start where (0002,0000) says group 0002 ends");
                inMeta = false;
            }
        }
        return new TinyDicomParser(out);
    }

    public boolean has(int tag) {
        return elements.containsKey(tag);
    }

    public Element element(int tag) {
        Element e = elements.get(tag);
        assertNotNull(e, String.format("(%08X) missing", tag));
        return e;
    }

    /** Raw value bytes, padding included. */
    public byte[] raw(int tag) {
        return element(tag).value();
    }

    /** A text value without its padding (trailing space or NUL). */
    public String string(int tag) {
        String s = new String(raw(tag), StandardCharsets.US_ASCII);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    public double[] doubles(int tag) {
        return Arrays.stream(string(tag).split("\\\\")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }

    public int us(int tag) {
        assertEquals("US", element(tag).vr());
        return ByteBuffer.wrap(raw(tag)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
    }

    public int integer(int tag) {
        return Integer.parseInt(string(tag).trim());
    }
}
