package io.ctcohort.engine.dicom;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalStringsTest {

    /** Parses back within 1e-8 relative (at least 9 significant digits survive, even for -1.2E-300). */
    private static void assertFormats(double v) {
        String s = DecimalStrings.format(v);
        assertTrue(s.length() <= 16, s + " is longer than 16");
        assertTrue(s.matches("[-+]?[0-9]*\\.?[0-9]*(E-?[0-9]+)?"), s + " has characters DS does not allow");
        double back = Double.parseDouble(s);
        assertEquals(v, back, Math.abs(v) * 1e-8, s);
    }

    @Test
    void exactValuesStayShortAndPlain() {
        assertEquals("0", DecimalStrings.format(0.0));
        assertEquals("0", DecimalStrings.format(-0.0));
        assertEquals("3", DecimalStrings.format(3.0));
        assertEquals("-1", DecimalStrings.format(-1.0));
        assertEquals("0.1", DecimalStrings.format(0.1));
        assertEquals("1000", DecimalStrings.format(1000));
        assertEquals("94.3017578125", DecimalStrings.format(94.3017578125));
        assertEquals("-0.0001", DecimalStrings.format(-1e-4));
    }

    @Test
    void longValuesKeepAsManyDigitsAsFit() {
        // The real example CT's float32 origin (-177.95632934570312): exact to 1e-13 mm.
        assertEquals("-177.9563293457", DecimalStrings.format(-177.95632934570312));
        assertEquals("-1234.5678901235", DecimalStrings.format(-1234.567890123456));
        assertEquals("0.33333333333333", DecimalStrings.format(1.0 / 3));
        assertEquals("-0.7071067811865", DecimalStrings.format(-Math.sqrt(0.5)));
    }

    @Test
    void tinyAndHugeValuesTakeAnExponent() {
        assertEquals("6.1232339957E-17", DecimalStrings.format(Math.cos(Math.PI / 2)));
        assertEquals("1E20", DecimalStrings.format(1e20));
        assertEquals("-1.23456789E-10", DecimalStrings.format(-1.2345678901234567e-10)); // 10 digits, trailing 0 cut
        assertEquals("1.7976931348E308", DecimalStrings.format(Double.MAX_VALUE)); // rounded down: up would overflow
        assertEquals("0.000005", DecimalStrings.format(5e-6));
        for (double v : new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MIN_NORMAL, 1e-300, -1.2345678901234567e-300, 1.2345678901234567e300, 123456789012345678.0,
            -0.000012345678901234, 9.999999999999999e15, -9.999999999999999e15, 0.5e-5}) {
            assertFormats(v);
        }
    }

    @Test
    void randomValuesOfEveryMagnitudeRoundTrip() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 20000; i++) {
            double v = (rng.nextBoolean() ? -1 : 1) * rng.nextDouble() * Math.pow(10, rng.nextInt(-30, 30));
            assertFormats(v);
        }
        for (int i = 0; i < 20000; i++) {
            // Positions in mm: 10 or more significant digits, better than 1e-6 mm.
            double v = rng.nextDouble(-2000, 2000);
            assertEquals(v, Double.parseDouble(DecimalStrings.format(v)), 1e-6);
        }
    }

    @Test
    void refusesNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> DecimalStrings.format(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DecimalStrings.format(Double.POSITIVE_INFINITY));
    }
}
