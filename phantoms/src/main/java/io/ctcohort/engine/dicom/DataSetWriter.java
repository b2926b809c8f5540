package io.ctcohort.engine.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Encodes data elements in explicit VR little endian, the only encoding ctcohort writes. Each
 * method checks its value against the VR's rules (length, characters) and pads it to even length
 * (UI with NUL, text with space), and elements must come in ascending tag order, so a file that
 * this class produced is well-formed by construction.
 */
final class DataSetWriter {
    /** The value representations ctcohort writes: maximum characters per value (text VRs), long form. */
    enum Vr {
        AS(4), CS(16), DA(8), DS(16), IS(12), LO(64), PN(64), SH(16), TM(14), UI(64),
        US(0), UL(0), OB(0), OW(0);

        final int maxChars;

        Vr(int maxChars) {
            this.maxChars = maxChars;
        }

        /** OB and OW have a 2-byte reserved field and a 4-byte length; the others a 2-byte length. */
        boolean longLength() {
            return this == OB || this == OW;
        }
    }

    private static final Pattern CS_CHARS = Pattern.compile("[A-Z0-9 _]*");
    private static final Pattern DA_CHARS = Pattern.compile("\\d{8}");
    private static final Pattern AS_CHARS = Pattern.compile("\\d{3}[DWMY]");
    private static final Pattern IS_CHARS = Pattern.compile("[+-]?\\d{1,11}");
    private static final Pattern UI_CHARS = Pattern.compile("(0|[1-9]\\d*)(\\.(0|[1-9]\\d*))*");
    private static final Pattern TM_CHARS = Pattern.compile("\\d{2,6}(\\.\\d{1,6})?");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int lastTag = -1;

    static int tag(int group, int element) {
        return group << 16 | element;
    }

    /** A text element; several values are joined with '\'. An empty value (type 2) is allowed. */
    DataSetWriter text(int tag, Vr vr, String... values) {
        StringBuilder joined = new StringBuilder();
        for (String v : values) {
            check(tag, vr, v);
            if (joined.length() > 0) {
                joined.append('\\');
            }
            joined.append(v);
        }
        if (joined.length() % 2 == 1) {
            joined.append(vr == Vr.UI ? '\0' : ' ');
        }
        byte[] bytes = joined.toString().getBytes(StandardCharsets.US_ASCII);
        header(tag, vr, bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    DataSetWriter ds(int tag, double... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            s[i] = DecimalStrings.format(values[i]);
        }
        return text(tag, Vr.DS, s);
    }

    DataSetWriter is(int tag, long value) {
        return text(tag, Vr.IS, Long.toString(value));
    }

    DataSetWriter us(int tag, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name(tag) + ": " + value + " does not fit US (0-65535)");
        }
        header(tag, Vr.US, 2);
        le16(value);
        return this;
    }

    DataSetWriter ul(int tag, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(name(tag) + ": " + value + " does not fit UL");
        }
        header(tag, Vr.UL, 4);
        le32((int) value);
        return this;
    }

    DataSetWriter ob(int tag, byte[] value) {
        header(tag, Vr.OB, value.length + value.length % 2);
        out.writeBytes(value);
        if (value.length % 2 == 1) {
            out.write(0);
        }
        return this;
    }

    /** 16-bit words {@code values[from, from + count)}, little endian. */
    DataSetWriter ow(int tag, short[] values, int from, int count) {
        header(tag, Vr.OW, 2L * count);
        ByteBuffer b = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values, from, count);
        out.writeBytes(b.array());
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void header(int tag, Vr vr, long length) {
        if (Integer.compareUnsigned(tag, lastTag) <= 0 && lastTag != -1) {
            throw new IllegalStateException(name(tag) + " written after " + name(lastTag) + ": tags must ascend");
        }
        lastTag = tag;
        le16(tag >>> 16);
        le16(tag & 0xFFFF);
        out.writeBytes(vr.name().getBytes(StandardCharsets.US_ASCII));
        if (vr.longLength()) {
            le16(0);
            if (length > 0xFFFFFFFEL) {
                throw new IllegalArgumentException(name(tag) + ": value too long (" + length + " bytes)");
            }
            le32((int) length);
        } else {
            if (length > 0xFFFF) {
                throw new IllegalArgumentException(name(tag) + ": value too long (" + length + " bytes)");
            }
            le16((int) length);
        }
    }

    private static void check(int tag, Vr vr, String v) {
        if (v.length() > vr.maxChars) {
            throw new IllegalArgumentException(name(tag) + " " + vr + ": " + shown(vr, v) + " is longer than "
                    + vr.maxChars + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException(name(tag) + " " + vr + ": character " + (int) c
                        + " is not printable ASCII or is the value separator");
            }
        }
        if (v.isEmpty()) {
            return;
        }
        Pattern p = switch (vr) {
            case CS -> CS_CHARS;
            case DA -> DA_CHARS;
            case AS -> AS_CHARS;
            case IS -> IS_CHARS;
            case UI -> UI_CHARS;
            case TM -> TM_CHARS;
            default -> null;
        };
        if (p != null && !p.matcher(v).matches()) {
            throw new IllegalArgumentException(name(tag) + " " + vr + ": " + shown(vr, v) + " is not a valid " + vr);
        }
    }

    /** Coded values are quoted in errors; free text (names, IDs, descriptions) never is: it may identify a patient. */
    private static String shown(Vr vr, String v) {
        return switch (vr) {
            case PN, LO, SH -> "a value of " + v.length() + " characters";
            default -> "'" + v + "'";
        };
    }

    private void le16(int v) {
        out.write(v & 0xFF);
        out.write(v >>> 8 & 0xFF);
    }

    private void le32(int v) {
        le16(v & 0xFFFF);
        le16(v >>> 16);
    }

    static String name(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
