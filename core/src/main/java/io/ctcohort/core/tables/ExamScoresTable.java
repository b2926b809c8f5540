package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.Columns.VALUE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** The {@code exam_scores} table: per exam, structure and metric, where its value lies among its sex's curves. */
public final class ExamScoresTable {
    public static final String NAME = "exam_scores";

    public static final String CENTILE_RANK = "centile_rank", Z = "z";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, EXAM_ID, STRUCTURE, METRIC, SEX).required(DoubleType, AGE, VALUE)
            .optional(DoubleType, CENTILE_RANK, Z).optional(StringType, REASON).struct();

    private ExamScoresTable() {
    }
}
