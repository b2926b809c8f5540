package io.ctcohort.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.pipeline.privacy.Pseudonyms.Kind;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pseudonyms against HMAC-SHA-256 values computed outside Java (Python 3's hmac module, key twenty
 * 0x0b bytes as in RFC 4231 test case 1), the day shift's range and what it keeps, age top-coding
 * and the secure default of catalog.
 */
class PseudonymsTest {
    static final byte[] KEY = filled(20, 0x0b);

    static byte[] filled(int n, int b) {
        byte[] k = new byte[n];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void pseudonymIsThePrefixedTruncatedHmacOfKindAndOriginal() {
        Pseudonyms p = new Pseudonyms(KEY);
        // python3: hmac.new(b'\x0b'*20, b'PATIENT:MRN-0042', hashlib.sha256).hexdigest()[:24]
        assertEquals("P-03c133b60ecd2ad486a51a5c", p.of(Kind.PATIENT, "MRN-0042"));
        assertEquals("E-07a80482cd49c2ca1ce3a03e", p.of(Kind.EXAM, "1.2.840.99.1"));
        assertEquals(2 + Pseudonyms.HEX_DIGITS, p.of(Kind.SERIES, "x").length());
        assertNotEquals(p.of(Kind.PATIENT, "123").substring(2), p.of(Kind.EXAM, "123").substring(2),
                "the kind is part of the MAC's input");
        assertNull(p.of(Kind.PATIENT, null));
    }

    @Test
    void sameKeySamePseudonymsOtherKeyOthers() {
        Pseudonyms a = new Pseudonyms(KEY);
        Pseudonyms b = new Pseudonyms(KEY.clone());
        Pseudonyms c = new Pseudonyms(filled(20, 0x0c));
        assertEquals(a.of(Kind.EXAM, "1.2.3"), b.of(Kind.EXAM, "1.2.3"));
        assertNotEquals(a.of(Kind.EXAM, "1.2.3"), c.of(Kind.EXAM, "1.2.3"));
        assertFalse(a.toString().contains("0b0b"), "the key is never shown");
    }

    @Test
    void aPseudonymIsLeftAsItIs() {
        Pseudonyms p = new Pseudonyms(KEY);
        String once = p.of(Kind.PATIENT, "MRN-0042");
        assertEquals(once, p.of(Kind.PATIENT, once));
        assertTrue(Pseudonyms.isPseudonym(Kind.PATIENT, once));
        assertFalse(Pseudonyms.isPseudonym(Kind.EXAM, once), "only a pseudonym of its own kind");
    }

    @Test
    void dayShiftIsKeyedNonZeroAtMostAYearAndKeepsIntervals() {
        Pseudonyms p = new Pseudonyms(KEY);
        // python3: first 4 bytes of hmac(b'\x0b'*20, b'DATE_SHIFT:P-03c133b60ecd2ad486a51a5c') mod 730 = 507 -> +143
        assertEquals(143, p.dayShift("P-03c133b60ecd2ad486a51a5c"));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int s = p.dayShift("P-" + i);
            assertTrue(s != 0 && Math.abs(s) <= Pseudonyms.MAX_SHIFT_DAYS, "shift " + s);
            seen.add(s);
        }
        assertTrue(seen.size() > 500, "shifts spread over the range: " + seen.size());
        assertTrue(seen.stream().anyMatch(s -> s < 0) && seen.stream().anyMatch(s -> s > 0));

        Deidentification d = new Deidentification(p, DatePolicy.SHIFT, false);
        String first = d.date("2025-04-15", "MRN-0042", "E1");
        String second = d.date("20260101", "MRN-0042", "E2");
        assertEquals("2025-09-05", first);
        assertEquals(ChronoUnit.DAYS.between(LocalDate.of(2025, 4, 15), LocalDate.of(2026, 1, 1)),
                ChronoUnit.DAYS.between(LocalDate.parse(first), LocalDate.parse(second)), "interval kept");
        assertEquals("2025", new Deidentification(p, DatePolicy.YEAR, false).date("20250415", "MRN-0042", "E1"));
        assertNull(d.date("not a date", "MRN-0042", "E1"), "an unparseable date is dropped, not guessed at");
    }

    @Test
    void agesOver89AreNinetyUnlessIdentifiersAreKept() {
        Deidentification d = new Deidentification(new Pseudonyms(KEY), DatePolicy.YEAR, false);
        assertEquals(89.0, d.age(89.0));
        assertEquals(90.0, d.age(89.5));
        assertEquals(90.0, d.age(104.0));
        assertNull(d.age(null));
        assertEquals(104.0, Deidentification.KEEP.age(104.0));
    }

    @Test
    void catalogRefusesOriginalIdentifiersUnlessAskedAndSaysHow() {
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> Deidentification.forCatalog(null, false, null, null, System.err));
        assertTrue(e.getMessage().contains("--pseudonym-key") && e.getMessage().contains("--keep-identifiers"),
                e.getMessage());
        assertThrows(CtCohortException.class, () -> new Deidentification(null, DatePolicy.SHIFT, true),
                "a shift is keyed");
        Deidentification keep = Deidentification.forCatalog(null, true, null, null, System.err);
        assertEquals(DatePolicy.KEEP, keep.dates());
        assertEquals("kept", keep.label());
    }
}
