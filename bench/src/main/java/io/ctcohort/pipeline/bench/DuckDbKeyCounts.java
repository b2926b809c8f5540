package io.ctcohort.pipeline.bench;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STRUCTURE;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.BiomarkersTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@link RunKeyCounts} of a local run folder read by DuckDB, one scan per table: the exactly-once check
 * by a second engine, the way an epidemiologist reads the tables. Spark's reader pays a Hadoop
 * configuration copy for each of the hundreds of thousands of small bucket files a run of 10^6 exams
 * publishes; DuckDB counts a table of 31,226 files in seconds.
 */
final class DuckDbKeyCounts {
    private DuckDbKeyCounts() {
    }

    static RunKeyCounts of(Path run) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            long[] e = rowsAndKeys(st, run.resolve(OutputLayout.EXAMS), EXAM_ID + ", " + MODEL_ID);
            long[] m = rowsAndKeys(st, run.resolve(OutputLayout.MEASUREMENTS),
                    EXAM_ID + ", " + STRUCTURE + ", " + MODEL_ID);
            long[] b = rowsAndKeys(st, run.resolve(OutputLayout.BIOMARKERS), EXAM_ID + ", "
                    + BiomarkersTable.BIOMARKER + ", " + BiomarkersTable.SITE + ", " + MODEL_ID);
            long[] v = rowsAndKeys(st, run.resolve(OutputLayout.VALIDATION),
                    EXAM_ID + ", " + STRUCTURE + ", " + MODEL_ID);
            return new RunKeyCounts(e[0], e[1], m[0], m[1], b[0], b[1], v[0], v[1]);
        }
    }

    /** Rows and distinct keys (a null key field is one value, as in Spark's distinct). */
    private static long[] rowsAndKeys(Statement st, Path table, String keys) throws SQLException {
        String files = table.resolve("*.parquet").toString().replace("'", "''");
        try (ResultSet r = st.executeQuery("SELECT coalesce(sum(n), 0), count(*) FROM (SELECT " + keys
                + ", count(*) AS n FROM read_parquet('" + files + "') GROUP BY ALL)")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }
}
