package io.ctcohort.pipeline.privacy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: {@code PREFIX + hex(HMAC-SHA-256(key, KIND ":" original))[0, 24)}, e.g.
 * {@code P-3f9a0c...} (26 characters: a 2-character prefix and 96 bits of the MAC). The kind is part
 * of the MAC's input, so a patient id and an exam id with the same text get unrelated pseudonyms.
 * One key gives the same pseudonym on every run (nightly runs join); without the key, a pseudonym
 * cannot be traced back nor made from a guessed original (unlike a plain hash of an MRN).
 *
 * <p>A value that already has the form of a pseudonym of its kind is left as it is, so that
 * pseudonymizing a manifest that {@code catalog} already pseudonymized changes nothing.
 */
public final class Pseudonyms implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Hex digits kept of the 64 of the MAC: 96 bits, so that 10^9 ids collide with probability ~1e-11. */
    public static final int HEX_DIGITS = 24;
    /** Date shifts lie in [-MAX_SHIFT_DAYS, -1] or [1, MAX_SHIFT_DAYS]: never 0, never more than a year. */
    public static final int MAX_SHIFT_DAYS = 365;
    private static final String ALGORITHM = "HmacSHA256";

    /** What an id names; its prefix says so in every table. */
    public enum Kind {
        PATIENT("P-"), EXAM("E-"), SERIES("S-");

        private final String prefix;
        private final Pattern form;

        Kind(String prefix) {
            this.prefix = prefix;
            this.form = Pattern.compile(Pattern.quote(prefix) + "[0-9a-f]{" + HEX_DIGITS + "}");
        }

        public String prefix() {
            return prefix;
        }
    }

    private final byte[] key;
    private transient Mac mac;

    public Pseudonyms(byte[] key) {
        if (key.length < PseudonymKey.MIN_BYTES) {
            throw new IllegalArgumentException("a pseudonym key has at least " + PseudonymKey.MIN_BYTES + " bytes");
        }
        this.key = key.clone();
    }

    /** The pseudonym of {@code original} (null stays null; a pseudonym of this kind stays as it is). */
    public String of(Kind kind, String original) {
        if (original == null || isPseudonym(kind, original)) {
            return original;
        }
        return kind.prefix + HexFormat.of().formatHex(mac(kind.name() + ":" + original)).substring(0, HEX_DIGITS);
    }

    public static boolean isPseudonym(Kind kind, String value) {
        return value != null && kind.form.matcher(value).matches();
    }

    /**
     * The days every date of one patient moves by, keyed by the patient's pseudonym (so that catalog
     * and segment shift alike): in [-365, -1] or [1, 365], so intervals within a patient are kept.
     */
    public int dayShift(String patientPseudonym) {
        byte[] m = mac("DATE_SHIFT:" + patientPseudonym);
        long first = ((long) (m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
        int r = (int) (first % (2 * MAX_SHIFT_DAYS)); // the MAC's first 4 bytes, unsigned big-endian
        return r < MAX_SHIFT_DAYS ? -(r + 1) : r - MAX_SHIFT_DAYS + 1;
    }

    private synchronized byte[] mac(String input) {
        try {
            if (mac == null) {
                mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(key, ALGORITHM));
            }
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonyms[HMAC-SHA-256, key not shown]";
    }
}
