package io.ctcohort.engine.dicom;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A patient's age in years at the study: PatientAge (AS: {@code 063Y}, {@code 018M}, {@code 004W},
 * {@code 010D}), else StudyDate minus PatientBirthDate in whole years (what the scanner would have
 * written as PatientAge). The birth date is used for this alone and never leaves this class.
 */
public final class PatientAge {
    private static final Pattern AS = Pattern.compile("(\\d{1,3})\\s*([DWMY])");

    private PatientAge() {
    }

    /** Age in years, or NaN when neither way gives one. */
    public static double years(DicomAttributes a) {
        double fromAs = parse(a.string(Tag.PATIENT_AGE));
        if (!Double.isNaN(fromAs)) {
            return fromAs;
        }
        return between(a.string(Tag.PATIENT_BIRTH_DATE), a.string(Tag.STUDY_DATE));
    }

    static double parse(String as) {
        if (as == null) {
            return Double.NaN;
        }
        Matcher m = AS.matcher(as.trim().toUpperCase());
        if (!m.matches()) {
            return Double.NaN;
        }
        int n = Integer.parseInt(m.group(1));
        return switch (m.group(2)) {
            case "Y" -> n;
            case "M" -> round2(n / 12.0);
            case "W" -> round2(n * 7 / 365.25);
            default -> round2(n / 365.25);
        };
    }

    static double between(String birth, String study) {
        LocalDate b = date(birth);
        LocalDate s = date(study);
        if (b == null || s == null || s.isBefore(b)) {
            return Double.NaN;
        }
        return Period.between(b, s).getYears();
    }

    /** A DA value (YYYYMMDD), or null. */
    public static LocalDate date(String da) {
        if (da == null || da.length() < 8) {
            return null;
        }
        try {
            return LocalDate.parse(da.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
