package io.ctcohort.core.tables;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a table's StructType from runs of columns that share a type and nullability, in the order
 * given: a table's schema reads as a few lines rather than one {@code .add} per column.
 */
public final class Schema {
    private StructType struct = new StructType();

    /** Columns that are never null. */
    public Schema required(DataType type, String... columns) {
        return add(type, false, columns);
    }

    /** Columns that may be null. */
    public Schema optional(DataType type, String... columns) {
        return add(type, true, columns);
    }

    public StructType struct() {
        return struct;
    }

    private Schema add(DataType type, boolean nullable, String... columns) {
        for (String c : columns) {
            struct = struct.add(c, type, nullable);
        }
        return this;
    }
}
