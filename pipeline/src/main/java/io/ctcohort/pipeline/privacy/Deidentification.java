package io.ctcohort.pipeline.privacy;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.dicom.PatientAge;
import io.ctcohort.pipeline.manifest.ContrastColumns;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * How identifiers leave a job, resolved once from the command line (docs/DESIGN.md "Privacy"):
 * with a key, patient, exam and series ids become {@link Pseudonyms}, dates follow {@link #dates}
 * and ages over 89 become 90 (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)). {@code keepIdentifiers}
 * is the escape for runs inside the data custodian's walls: original ids, and the image locations
 * in the exams table.
 *
 * @param pseudonyms      null: ids stay as they are
 * @param dates           what dates become (SHIFT needs a key)
 * @param keepIdentifiers original ids allowed, and the custodian-only columns kept in shared tables
 */
public record Deidentification(Pseudonyms pseudonyms, DatePolicy dates, boolean keepIdentifiers)
        implements Serializable {
    /** Ages above this are recorded as {@link #AGE_TOP_CODE} (Safe Harbor: "all ages over 89"). */
    public static final double AGE_LIMIT = 89;
    public static final double AGE_TOP_CODE = 90;
    /**
     * Manifest columns that stay with the custodian (manifest, staging) and never reach a shared table
     * unless identifiers are kept: where the images lie (folders are often named after the patient),
     * the DICOM series description, and ContrastBolusAgent / ContrastBolusRoute as the catalog copied
     * them: free text that a site may fill with anything. What the study needs of them is already in
     * {@code contrast_phase} and {@code contrast_phase_source}, resolved before the columns are dropped.
     */
    public static final Set<String> CUSTODIAN_COLUMNS = Set.of("image_uri", "mask_uri", "reference_mask_uri",
            "series_description", ContrastColumns.AGENT_DICOM, ContrastColumns.ROUTE_DICOM);

    /** Inside the custodian's walls: everything as it is. */
    public static final Deidentification KEEP = new Deidentification(null, DatePolicy.KEEP, true);
    /** segment and measure without options: a manifest's ids and dates as given, no image location in exams. */
    public static final Deidentification SHARED = new Deidentification(null, DatePolicy.KEEP, false);

    public Deidentification {
        if (dates == null) {
            throw new IllegalArgumentException("dates");
        }
        if (dates == DatePolicy.SHIFT && pseudonyms == null) {
            throw new CtCohortException("--dates shift needs --pseudonym-key (the shift is keyed per patient)");
        }
    }

    /**
     * What {@code catalog}'s options ask for. Secure by default: without a key, original identifiers
     * are written only with {@code --keep-identifiers}.
     *
     * @param keyUri null when no --pseudonym-key was given
     * @param dates  null: shift with a key, keep with --keep-identifiers
     */
    public static Deidentification forCatalog(String keyUri, boolean keepIdentifiers, DatePolicy dates,
                                              Configuration conf, PrintStream log) {
        if (keyUri == null && !keepIdentifiers) {
            throw new CtCohortException("catalog writes no original patient, study or series identifiers: give "
                    + "--pseudonym-key FILE (keyed pseudonyms; the file is created if absent), or --keep-identifiers "
                    + "for a catalog that stays inside the data custodian's walls");
        }
        if (keyUri != null && keepIdentifiers) {
            throw new CtCohortException("--pseudonym-key and --keep-identifiers exclude each other");
        }
        return resolve(keyUri, keepIdentifiers, dates, conf, log);
    }

    /** What {@code segment}'s and {@code measure}'s options ask for (see {@link #SHARED} for none). */
    public static Deidentification forJob(String keyUri, boolean keepIdentifiers, DatePolicy dates,
                                          Configuration conf, PrintStream log) {
        if (keyUri == null && dates != null && dates != DatePolicy.KEEP) {
            throw new CtCohortException("--dates " + dates.label() + " applies with --pseudonym-key only");
        }
        return resolve(keyUri, keepIdentifiers, dates, conf, log);
    }

    private static Deidentification resolve(String keyUri, boolean keep, DatePolicy dates, Configuration conf,
                                            PrintStream log) {
        Pseudonyms p = keyUri == null ? null : new Pseudonyms(PseudonymKey.loadOrCreate(keyUri, conf, log));
        DatePolicy d = dates != null ? dates : p != null ? DatePolicy.SHIFT : DatePolicy.KEEP;
        return new Deidentification(p, d, keep);
    }

    public boolean pseudonymizes() {
        return pseudonyms != null;
    }

    /** The id as a table holds it. */
    public String id(Pseudonyms.Kind kind, String original) {
        return pseudonyms == null ? original : pseudonyms.of(kind, original);
    }

    /** An age as a table holds it: over 89 is 90, unless identifiers are kept. */
    public Double age(Double years) {
        if (years == null || keepIdentifiers || years <= AGE_LIMIT) {
            return years;
        }
        return AGE_TOP_CODE;
    }

    /**
     * A date (ISO yyyy-MM-dd or DICOM yyyyMMdd) as a table holds it; shifted by the patient's days,
     * or, without a patient, by the exam's. An unparseable date is dropped unless kept, not guessed at.
     */
    public String date(String value, String patientId, String examId) {
        if (value == null || dates == DatePolicy.KEEP) {
            return value;
        }
        LocalDate d = parseDate(value);
        if (d == null) {
            return null;
        }
        int shift = 0;
        if (dates == DatePolicy.SHIFT) {
            shift = patientId != null ? pseudonyms.dayShift(id(Pseudonyms.Kind.PATIENT, patientId))
                    : pseudonyms.dayShift(id(Pseudonyms.Kind.EXAM, examId));
        }
        return dates.apply(d, shift);
    }

    private static LocalDate parseDate(String v) {
        String s = v.strip();
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            s = s.substring(0, 4) + s.substring(5, 7) + s.substring(8, 10);
        }
        return PatientAge.date(s);
    }

    /** One word for the run's record: pseudonymized, kept, or as-given (ids as the manifest gave them). */
    public String label() {
        return keepIdentifiers ? "kept" : pseudonyms != null ? "pseudonymized" : "as-given";
    }

    public String describe() {
        if (keepIdentifiers && pseudonyms == null) {
            return "original identifiers kept (--keep-identifiers: for use inside the data custodian's walls only)";
        }
        return (pseudonyms != null ? "patient, exam and series ids as keyed pseudonyms (HMAC-SHA-256), dates "
                + dates.label() + ", ages over 89 as 90" : "ids as the manifest gives them")
                + (keepIdentifiers ? "; image locations kept (--keep-identifiers)" : "");
    }
}
