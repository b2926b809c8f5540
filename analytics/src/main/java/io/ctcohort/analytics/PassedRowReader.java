package io.ctcohort.analytics;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.MeasurementsTable;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Reads {@link QualityControl}'s passing rows by column name: each column's index is looked up once
 * in the rows' schema, so a change in QC's select order cannot shift a value into the wrong field.
 */
public record PassedRowReader(int structure, int examId, int age, int sex, int volumeMl, int huMean, int[] covariates)
        implements Serializable {

    /** @param nCov how many covariate columns the rows carry (the study's covariates, in order) */
    public static PassedRowReader of(StructType schema, int nCov) {
        int[] cov = new int[nCov];
        for (int c = 0; c < nCov; c++) {
            cov[c] = index(schema, QualityControl.covariate(c));
        }
        return new PassedRowReader(index(schema, Columns.STRUCTURE), index(schema, Columns.EXAM_ID),
                index(schema, Columns.AGE), index(schema, Columns.SEX), index(schema, MeasurementsTable.VOLUME_ML),
                index(schema, MeasurementsTable.HU_MEAN), cov);
    }

    private static int index(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("QC output lacks column " + column + " (has "
                    + Arrays.toString(schema.fieldNames()) + ")");
        }
        return schema.fieldIndex(column);
    }

    public String structure(Row r) {
        return r.getString(structure);
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
        return new Subject(num(r, age), s, num(r, volumeMl), num(r, huMean), cov);
    }

    private static double num(Row r, int i) {
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }
}
