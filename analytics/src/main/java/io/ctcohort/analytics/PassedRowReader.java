package io.ctcohort.analytics;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Reads {@link QualityControl}'s passing rows by column name: each column's index is looked up once
 * in the rows' schema, so a change in QC's select order cannot shift a value into the wrong field.
 * Measurement rows carry volume_ml and hu_mean; biomarker rows a metric and its value (the other
 * indices are -1).
 */
public record PassedRowReader(int structure, int examId, int age, int sex, int volumeMl, int huMean, int[] covariates,
                              int metric, int value, int phase) implements Serializable {

    /** @param nCov how many covariate columns the rows carry (the study's covariates, in order) */
    public static PassedRowReader of(StructType schema, int nCov) {
        int[] cov = new int[nCov];
        for (int c = 0; c < nCov; c++) {
            cov[c] = index(schema, QualityControl.covariate(c));
        }
        boolean biomarkers = has(schema, Columns.METRIC);
        return new PassedRowReader(index(schema, Columns.STRUCTURE), index(schema, Columns.EXAM_ID),
                index(schema, Columns.AGE), index(schema, Columns.SEX),
                biomarkers ? -1 : index(schema, MeasurementsTable.VOLUME_ML),
                biomarkers ? -1 : index(schema, MeasurementsTable.HU_MEAN), cov,
                biomarkers ? index(schema, Columns.METRIC) : -1, biomarkers ? index(schema, Columns.VALUE) : -1,
                index(schema, ExamsTable.CONTRAST_PHASE));
    }

    private static boolean has(StructType schema, String column) {
        return Arrays.asList(schema.fieldNames()).contains(column);
    }

    private static int index(StructType schema, String column) {
        if (!has(schema, column)) {
            throw new IllegalArgumentException("QC output lacks column " + column + " (has "
                    + Arrays.toString(schema.fieldNames()) + ")");
        }
        return schema.fieldIndex(column);
    }

    public String structure(Row r) {
        return r.getString(structure);
    }

    /** The grouping key: the structure, or for a biomarker row {@link MetricGroup#biomarkerKey}. */
    public String groupKey(Row r) {
        return metric < 0 ? r.getString(structure)
                : MetricGroup.biomarkerKey(r.getString(structure), r.getString(metric));
    }

    /** The group of a key from {@link #groupKey}. */
    public MetricGroup group(String key) {
        return metric < 0 ? MetricGroup.measured(key) : MetricGroup.ofBiomarkerKey(key);
    }

    public String examId(Row r) {
        return r.getString(examId);
    }

    /** The row as a subject; null numbers become NaN. */
    public Subject subject(Row r) {
        double[] cov = new double[covariates.length];
        for (int c = 0; c < cov.length; c++) {
            cov[c] = num(r, covariates[c]);
        }
        String s = r.isNullAt(sex) ? null : r.getString(sex);
        String p = r.isNullAt(phase) ? null : r.getString(phase);
        return metric < 0 ? Subject.measured(num(r, age), s, num(r, volumeMl), num(r, huMean), cov, p)
                : new Subject(num(r, age), s, new double[] {num(r, value)}, cov, p);
    }

    private static double num(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }
}
