package io.ctcohort.engine.dicom;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles as DICOM decimal strings (DS): at most 16 characters of {@code [0-9+-.E]}.
 * Keeps as many significant digits as fit (up to 17, enough for any double), in plain form when
 * that fits, else with an exponent, so a position such as -1234.567890123456 keeps 1e-10 mm.
 */
final class DecimalStrings {
    static final int MAX_LENGTH = 16;

    private DecimalStrings() {
    }

    static String format(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("a decimal string cannot hold " + v);
        }
        if (v == 0) {
            return "0"; // also -0.0
        }
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 17; digits >= 1; digits--) {
            BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (Double.isInfinite(r.doubleValue())) {
                r = exact.round(new MathContext(digits, RoundingMode.DOWN)); // near Double.MAX_VALUE: stay finite
            }
            r = r.stripTrailingZeros();
            String plain = r.toPlainString();
            if (plain.length() <= MAX_LENGTH) {
                return plain;
            }
            String scientific = scientific(r);
            if (scientific.length() <= MAX_LENGTH) {
                return scientific;
            }
        }
        throw new AssertionError("one digit with an exponent always fits: " + v);
    }

    /** d.dddE-n, without the '+' that BigDecimal.toString would put in the exponent. */
    private static String scientific(BigDecimal r) {
        String digits = r.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - r.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (r.signum() < 0 ? "-" : "") + mantissa + "E" + exponent;
    }
}
