package io.ctcohort.engine.measure;

import java.util.Locale;

/** The contrast phase of an exam, as the {@code exams} table's {@code contrast_phase} holds it. */
public enum ContrastPhase {
    NATIVE, ARTERIAL, PORTAL_VENOUS, DELAYED, UNKNOWN;

    /** The table value: the constant's name in lower case ({@code portal_venous}). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a table or manifest value (case-insensitive; {@code portal-venous} and {@code venous} too). */
    public static ContrastPhase parse(String s) {
        String v = s.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (v.equals("VENOUS") || v.equals("PORTAL")) {
            return PORTAL_VENOUS;
        }
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contrast phase '" + s + "' is not one of native, arterial, "
                    + "portal_venous, delayed, unknown");
        }
    }
}
