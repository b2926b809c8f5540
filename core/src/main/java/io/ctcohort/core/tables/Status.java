package io.ctcohort.core.tables;

import java.util.Locale;

/** The {@code status} of an exams row: its exam was measured, or it failed (error_class says why). */
public enum Status {
    OK, FAILED;

    /** As written in the table: the name in lower case ({@code ok}, {@code failed}). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
