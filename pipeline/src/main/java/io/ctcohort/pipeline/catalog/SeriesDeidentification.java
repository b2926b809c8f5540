package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.pipeline.privacy.Deidentification;
import io.ctcohort.pipeline.privacy.Pseudonyms.Kind;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The series table as {@code catalog} writes it: ids as pseudonyms, the study date per the date
 * policy (shifted by the patient's days) and ages over 89 as 90, computed from the series with their
 * original values (the age was computed from the real dates before). image_uri keeps the series'
 * folder and UID: it is how the custodian's manifest finds the files, and it never reaches a shared
 * table. Also the linkage table (pseudonym to original), written only when asked for.
 */
final class SeriesDeidentification {
    static final String PATIENT_PSEUDONYM = "patient_pseudonym", SERIES_PSEUDONYM = "series_pseudonym";

    private SeriesDeidentification() {
    }

    /** The series table's columns, in {@link SeriesTable#SCHEMA} order, from series with original values. */
    static Dataset<Row> apply(Dataset<Row> series, Deidentification d) {
        if (!d.pseudonymizes() && d.dates() == io.ctcohort.pipeline.privacy.DatePolicy.KEEP && d.keepIdentifiers()) {
            return series.select(columns(SeriesTable.SCHEMA.fieldNames()));
        }
        UserDefinedFunction age = functions.udf((UDF1<Double, Double>) d::age, DataTypes.DoubleType);
        UserDefinedFunction date = functions.udf((UDF3<String, String, String, String>) d::date, DataTypes.StringType);
        Column[] cols = columns(SeriesTable.SCHEMA.fieldNames());
        for (int i = 0; i < cols.length; i++) {
            String name = SeriesTable.SCHEMA.fieldNames()[i];
            Column original = functions.col(name);
            cols[i] = switch (name) {
                case SeriesTable.PATIENT_ID -> id(d, Kind.PATIENT, original).as(name);
                case SeriesTable.STUDY_INSTANCE_UID -> id(d, Kind.EXAM, original).as(name);
                case SeriesTable.SERIES_INSTANCE_UID -> id(d, Kind.SERIES, original).as(name);
                case Columns.AGE -> age.apply(original).as(name);
                case SeriesTable.STUDY_DATE -> date.apply(original, functions.col(SeriesTable.PATIENT_ID),
                        functions.col(SeriesTable.STUDY_INSTANCE_UID)).as(name);
                default -> original;
            };
        }
        return series.select(cols);
    }

    /** One row per series: each pseudonym beside its original (the custodian's re-identification key). */
    static Dataset<Row> linkage(Dataset<Row> series, Deidentification d) {
        Column patient = functions.col(SeriesTable.PATIENT_ID);
        Column study = functions.col(SeriesTable.STUDY_INSTANCE_UID);
        Column uid = functions.col(SeriesTable.SERIES_INSTANCE_UID);
        return series.filter(uid.isNotNull())
                .select(id(d, Kind.PATIENT, patient).as(PATIENT_PSEUDONYM), patient.as(SeriesTable.PATIENT_ID),
                        id(d, Kind.EXAM, study).as(Columns.EXAM_ID), study.as(SeriesTable.STUDY_INSTANCE_UID),
                        id(d, Kind.SERIES, uid).as(SERIES_PSEUDONYM), uid.as(SeriesTable.SERIES_INSTANCE_UID))
                .distinct().orderBy(PATIENT_PSEUDONYM, Columns.EXAM_ID, SERIES_PSEUDONYM);
    }

    private static Column id(Deidentification d, Kind kind, Column original) {
        return functions.udf((UDF1<String, String>) v -> d.id(kind, v), DataTypes.StringType).apply(original);
    }

    private static Column[] columns(String[] names) {
        Column[] c = new Column[names.length];
        for (int i = 0; i < names.length; i++) {
            c[i] = functions.col(names[i]);
        }
        return c;
    }
}
