package io.ctcohort.core.tables;

/**
 * Column names that several tables share (docs/DESIGN.md "Tables"); a column of one table only is
 * named in that table's class. Code reads and writes columns through these, never by retyping them.
 */
public final class Columns {
    // An exam and what it was processed with.
    public static final String EXAM_ID = "exam_id", MODEL_ID = "model_id", STATUS = "status", IMAGE_URI = "image_uri";
    // The subject.
    public static final String AGE = "age", SEX = "sex";
    // What a statistic is of.
    public static final String STRUCTURE = "structure", METRIC = "metric", STRATUM = "stratum";
    // The statistic: its sample size, value, spline degrees of freedom, or why there is none.
    public static final String N = "n", VALUE = "value", SPLINE_DF = "spline_df", REASON = "reason";

    private Columns() {
    }
}
