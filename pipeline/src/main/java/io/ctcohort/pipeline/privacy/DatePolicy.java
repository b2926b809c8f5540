package io.ctcohort.pipeline.privacy;

import java.time.LocalDate;
import java.util.Locale;

/**
 * What a shared table holds of a date (after the age was computed from the real ones): {@code shift}
 * moves every date of a patient by the same keyed number of days ({@link Pseudonyms#dayShift}, so the
 * intervals between a patient's exams stay true), {@code year} keeps the year alone (HIPAA Safe
 * Harbor), {@code keep} the date itself (inside the custodian's walls only).
 */
public enum DatePolicy {
    SHIFT, YEAR, KEEP;

    /** The date as the table holds it: ISO yyyy-MM-dd, or yyyy for {@link #YEAR}. */
    public String apply(LocalDate date, int shiftDays) {
        if (date == null) {
            return null;
        }
        return switch (this) {
            case SHIFT -> date.plusDays(shiftDays).toString();
            case YEAR -> Integer.toString(date.getYear());
            case KEEP -> date.toString();
        };
    }

    /** From the command line: shift, year or keep. */
    public static DatePolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.ctcohort.core.CtCohortException("--dates takes shift, year or keep, not '" + s + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
