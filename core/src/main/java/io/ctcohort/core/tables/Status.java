package io.ctcohort.core.tables;

/** The {@code status} of an exams row: its exam was measured, or it failed (error_class says why). */
public enum Status {
    OK("ok"),
    FAILED("failed");

    private final String value;

    Status(String value) {
        this.value = value;
    }

    /** As written in the table. */
    public String value() {
        return value;
    }
}
