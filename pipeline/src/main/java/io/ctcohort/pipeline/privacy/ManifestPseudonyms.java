package io.ctcohort.pipeline.privacy;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.pipeline.manifest.InvalidManifestException;
import io.ctcohort.pipeline.manifest.Manifest;
import io.ctcohort.pipeline.manifest.ManifestEntry;
import io.ctcohort.pipeline.privacy.Pseudonyms.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code segment --pseudonym-key} on a manifest written by hand: exam_id, patient_id,
 * study_instance_uid and series_instance_uid become the pseudonyms {@code catalog} would give,
 * ages over 89 become 90, and columns named {@code *_date} follow the date policy. A row whose ids
 * are pseudonyms already (a catalog's manifest) keeps its dates: the catalog treated them.
 */
public final class ManifestPseudonyms {
    /** A DICOM UID (PS3.5 9.1): digits and dots, at least four components, as every real UID has. */
    private static final java.util.regex.Pattern DICOM_UID =
            java.util.regex.Pattern.compile("[0-2](\\.(0|[1-9][0-9]*)){3,}");

    private ManifestPseudonyms() {
    }

    public static Manifest apply(Manifest m, Deidentification d) {
        if (!d.pseudonymizes()) {
            return m;
        }
        StructField[] fields = m.passThrough().fields();
        StructType pass = new StructType();
        for (StructField f : fields) {
            pass = pass.add(isDate(f.name()) ? f.copy(f.name(), DataTypes.StringType, true, f.metadata()) : f);
        }
        int patientCol = indexOf(fields, SeriesTable.PATIENT_ID);
        List<ManifestEntry> out = new ArrayList<>(m.size());
        for (ManifestEntry e : m.entries()) {
            String patient = patientCol < 0 ? null : string(e.values()[patientCol]);
            boolean treated = patient != null ? Pseudonyms.isPseudonym(Kind.PATIENT, patient)
                    : Pseudonyms.isPseudonym(Kind.EXAM, e.examId());
            Object[] v = e.values().clone();
            for (int c = 0; c < fields.length; c++) {
                String name = fields[c].name().toLowerCase(Locale.ROOT);
                Kind kind = kindOf(name);
                if (kind != null && v[c] != null) {
                    v[c] = d.id(kind, string(v[c]));
                } else if (name.equals(Columns.AGE) && v[c] instanceof Double age) {
                    v[c] = d.age(age);
                } else if (isDate(name) && v[c] != null) {
                    v[c] = treated ? string(v[c]) : d.date(string(v[c]), patient, e.examId());
                }
            }
            out.add(e.with(d.id(Kind.EXAM, e.examId()), v));
        }
        return new Manifest(m.source(), pass, out);
    }

    /**
     * Refuses a manifest that would put original DICOM UIDs into shared tables: exam_id or a
     * {@code *_uid} column holding a UID (a catalog written with --keep-identifiers), unless the run
     * pseudonymizes or keeps identifiers. Patient ids have no form to tell them by; UIDs do.
     */
    public static void refuseOriginalUids(Manifest m, Deidentification d) {
        if (d.pseudonymizes() || d.keepIdentifiers()) {
            return;
        }
        StructField[] fields = m.passThrough().fields();
        for (ManifestEntry e : m.entries()) {
            String column = DICOM_UID.matcher(e.examId()).matches() ? Columns.EXAM_ID : null;
            for (int c = 0; column == null && c < fields.length; c++) {
                if (fields[c].name().toLowerCase(Locale.ROOT).endsWith("_uid") && e.values()[c] != null
                        && DICOM_UID.matcher(e.values()[c].toString()).matches()) {
                    column = fields[c].name();
                }
            }
            if (column != null) {
                throw new InvalidManifestException("manifest " + m.source() + " refused, nothing was processed: "
                        + column + " on row " + e.row() + " is an original DICOM UID, and the run's tables are shared "
                        + "(they hold no original UID). Give --pseudonym-key FILE (the catalog's key gives the "
                        + "catalog's pseudonyms), or --keep-identifiers for a run inside the data custodian's walls");
            }
        }
    }

    private static Kind kindOf(String column) {
        return switch (column) {
            case SeriesTable.PATIENT_ID -> Kind.PATIENT;
            case SeriesTable.STUDY_INSTANCE_UID -> Kind.EXAM;
            case SeriesTable.SERIES_INSTANCE_UID -> Kind.SERIES;
            default -> null;
        };
    }

    private static boolean isDate(String column) {
        return column.toLowerCase(Locale.ROOT).endsWith("_date");
    }

    private static int indexOf(StructField[] fields, String name) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String string(Object v) {
        return v == null ? null : v.toString();
    }
}
