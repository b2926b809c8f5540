package io.ctcohort.analytics;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CSV copies of small result tables for the report folder: header row, doubles in Java's shortest
 * round-trip form (no digits lost), NaN and null as empty cells (what pandas reads as NaN).
 */
public final class CsvTables {
    private CsvTables() {
    }

    public static void write(Path file, StructType schema, List<Row> rows) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StructField[] fields = schema.fields();
            for (int i = 0; i < fields.length; i++) {
                w.write((i > 0 ? "," : "") + quote(fields[i].name()));
            }
            w.write('\n');
            for (Row r : rows) {
                for (int i = 0; i < fields.length; i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    w.write(cell(r.isNullAt(i) ? null : r.get(i)));
                }
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "" : d.toString();
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
