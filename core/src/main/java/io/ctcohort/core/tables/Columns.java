package io.ctcohort.core.tables;

/**
 * Column names that several tables share (docs/DESIGN.md "Tables"); a column of one table only is
 * named in that table's class. Code reads and writes columns through these, never by retyping them.
 */
public final class Columns {
    public static final String EXAM_ID = "exam_id";
    public static final String MODEL_ID = "model_id";
    public static final String STATUS = "status";
    public static final String AGE = "age";
    public static final String SEX = "sex";
    public static final String STRUCTURE = "structure";
    public static final String METRIC = "metric";
    public static final String STRATUM = "stratum";
    public static final String N = "n";
    public static final String VALUE = "value";
    public static final String SPLINE_DF = "spline_df";
    public static final String REASON = "reason";
    public static final String IMAGE_URI = "image_uri";

    private Columns() {
    }
}
