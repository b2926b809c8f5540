package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.Columns.VALUE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code exam_scores} table: per exam, structure and metric, where its value lies among its sex's curves. */
public final class ExamScoresTable {
    public static final String NAME = "exam_scores";

    public static final String CENTILE_RANK = "centile_rank";
    public static final String Z = "z";

    public static final StructType SCHEMA = new StructType()
            .add(EXAM_ID, DataTypes.StringType, false)
            .add(STRUCTURE, DataTypes.StringType, false)
            .add(METRIC, DataTypes.StringType, false)
            .add(SEX, DataTypes.StringType, false)
            .add(AGE, DataTypes.DoubleType, false)
            .add(VALUE, DataTypes.DoubleType, false)
            .add(CENTILE_RANK, DataTypes.DoubleType)
            .add(Z, DataTypes.DoubleType)
            .add(REASON, DataTypes.StringType);

    private ExamScoresTable() {
    }
}
