package io.ctcohort.core.tables;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.REASON;
import static io.ctcohort.core.tables.Columns.VALUE;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/**
 * The {@code biomarkers} table: one row per exam x biomarker x site x model (docs/DESIGN.md
 * "Biomarkers" defines each). {@code value} is null where the biomarker could not be measured, and
 * {@code reason} says why.
 */
public final class BiomarkersTable {
    public static final String NAME = "biomarkers";

    public static final String BIOMARKER = "biomarker", SITE = "site", UNIT = "unit";

    public static final StructType SCHEMA = new Schema()
            .required(StringType, EXAM_ID, BIOMARKER, SITE).optional(DoubleType, VALUE)
            .optional(StringType, UNIT, REASON).required(StringType, MODEL_ID).struct();

    private BiomarkersTable() {
    }
}
