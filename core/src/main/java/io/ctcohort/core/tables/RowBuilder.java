package io.ctcohort.core.tables;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Builds a row of a schema by column name, so that the order of the values cannot drift from the schema's. */
public final class RowBuilder {
    private final StructType schema;
    private final Object[] values;

    public RowBuilder(StructType schema) {
        this.schema = schema;
        this.values = new Object[schema.size()];
    }

    public RowBuilder set(String column, Object value) {
        values[schema.fieldIndex(column)] = value;
        return this;
    }

    public Row row() {
        return RowFactory.create(values.clone());
    }
}
