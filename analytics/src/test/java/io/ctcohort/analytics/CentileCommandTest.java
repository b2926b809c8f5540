package io.ctcohort.analytics;

import io.ctcohort.analytics.cli.AnalyzeCommand;
import io.ctcohort.analytics.report.CentileReport;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeSplineTable;
import io.ctcohort.core.tables.ExamScoresTable;
import io.ctcohort.core.tables.ReferenceCentilesTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The centile options of {@code analyze} on the edge-case fixture (40 exams, ages in 5 decades, a
 * constant metric, a structure in 5 exams, one in women only): small groups and degenerate data get
 * reasons, not numbers or exceptions; --no-centiles writes none of the tables; bad options exit 2.
 */
class CentileCommandTest extends SharedSpark {
    /** {@code analyze} on the edge-case cohort with these options; tables go to tmp/tables, the report to tmp/report. */
    private static int analyze(Path tmp, String... options) throws Exception {
        Path flat = AnalyzeCommandTest.edgeFlatFolder(spark, tmp.resolve("flat"));
        List<String> args = new ArrayList<>(List.of("--in", flat.toString(), "--report", tmp.resolve("report").toString(),
                "--tables-out", tmp.resolve("tables").toString(), "--master", "local[2]"));
        args.addAll(List.of(options));
        return new CommandLine(new AnalyzeCommand()).execute(args.toArray(String[]::new));
    }

    @Test
    void smallAndDegenerateGroupsGetReasons(@TempDir Path tmp) throws Exception {
        assertEquals(0, analyze(tmp, "--centiles", "10,50,90", "--centile-df", "2", "--centile-min-n", "5", "--age-spline", "2"));
        Path tables = tmp.resolve("tables");
        Path report = tmp.resolve("report");
        Dataset<Row> ref = spark.read().parquet(tables.resolve(ReferenceCentilesTable.NAME).toString());
        Dataset<Row> scores = spark.read().parquet(tables.resolve(ExamScoresTable.NAME).toString());
        Dataset<Row> spline = spark.read().parquet(tables.resolve(AgeSplineTable.NAME).toString());
        ref.createOrReplaceTempView("ref");
        scores.createOrReplaceTempView("scores");
        spline.createOrReplaceTempView("spline");

        // tiny: 3 women and 2 men, below 5 -> one reason row per centile, no ages or values
        List<Row> tiny = spark.sql("SELECT sex, metric, count(*), count(age), count(value), min(reason) FROM ref "
                + "WHERE structure = 'tiny' GROUP BY sex, metric ORDER BY sex, metric").collectAsList();
        assertEquals(4, tiny.size());
        for (Row r : tiny) {
            assertEquals(3L, r.getLong(2));
            assertEquals(0L, r.getLong(3));
            assertEquals(0L, r.getLong(4));
            assertTrue(r.getString(5).startsWith("n=") && r.getString(5).contains("below the 5 exams"), r.getString(5));
        }
        assertEquals(0L, spark.sql("SELECT count(*) FROM scores WHERE structure = 'tiny' AND (reason IS NULL "
                + "OR centile_rank IS NOT NULL OR z IS NOT NULL)").first().getLong(0));
        // women_only: fitted in women; men have no exams: reason rows (n=0)
        assertEquals(0L, spark.sql("SELECT count(*) FROM ref WHERE structure = 'women_only' AND sex = 'F' "
                + "AND reason IS NOT NULL").first().getLong(0));
        assertTrue(spark.sql("SELECT min(reason) FROM ref WHERE structure = 'women_only' AND sex = 'M'").first()
                .getString(0).startsWith("n=0 "));
        // constant attenuation: every centile 42 at every age, every exam at the median
        Row c = spark.sql("SELECT min(value), max(value), count(*) FROM ref WHERE structure = 'constant_hu' "
                + "AND metric = 'hu_mean'").first();
        assertEquals(42.0, c.getDouble(0), 1e-9);
        assertEquals(42.0, c.getDouble(1), 1e-9);
        Row cs = spark.sql("SELECT min(centile_rank), max(centile_rank), max(abs(z)) FROM scores WHERE "
                + "structure = 'constant_hu' AND metric = 'hu_mean'").first();
        assertEquals(50.0, cs.getDouble(0), 1e-9);
        assertEquals(50.0, cs.getDouble(1), 1e-9);
        assertEquals(0.0, cs.getDouble(2), 1e-9);
        // age_spline: the constant metric is not estimable, the others are
        assertEquals("constant metric", spark.sql("SELECT reason FROM spline WHERE structure = 'constant_hu' "
                + "AND metric = 'hu_mean' AND stratum = 'all'").first().getString(0));
        assertEquals(0L, spark.sql("SELECT count(*) FROM spline WHERE structure = 'liver' AND (reason IS NOT NULL "
                + "OR p_nonlinear IS NULL OR isnan(p_nonlinear))").first().getLong(0));
        // the report's centile page renders, sexes without curves say why
        String page = Files.readString(report.resolve(CentileReport.PAGE), StandardCharsets.UTF_8);
        assertTrue(page.contains("below the 5 exams"), "reasons on the page");
        ReportFiles.assertImagesArePngs(report.resolve(CentileReport.PAGE), 5_000);
    }

    @Test
    void noCentilesWritesNoneOfTheTables(@TempDir Path tmp) throws Exception {
        assertEquals(0, analyze(tmp, "--no-centiles"));
        Path tables = tmp.resolve("tables");
        Path report = tmp.resolve("report");
        assertTrue(Files.isDirectory(tables.resolve(AgeEffectsTable.NAME)));
        for (String t : List.of(ReferenceCentilesTable.NAME, ExamScoresTable.NAME, AgeSplineTable.NAME)) {
            assertFalse(Files.exists(tables.resolve(t)), t);
        }
        assertFalse(Files.exists(report.resolve(CentileReport.PAGE)));
        assertFalse(Files.readString(report.resolve("index.html")).contains(CentileReport.PAGE));
    }

    @Test
    void badCentileOptionsExitTwo(@TempDir Path tmp) {
        for (String[] bad : List.of(new String[] {"--centiles", "50,10"}, new String[] {"--centiles", "0,50"},
                new String[] {"--age-spline", "1"}, new String[] {"--centile-df", "0"})) {
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int rc;
            try {
                String[] args = new String[bad.length + 4];
                System.arraycopy(new String[] {"--in", tmp.resolve("x").toString(), "--report", tmp.resolve("r").toString()},
                        0, args, 0, 4);
                System.arraycopy(bad, 0, args, 4, bad.length);
                rc = new CommandLine(new AnalyzeCommand()).execute(args);
            } finally {
                System.setErr(err);
            }
            assertEquals(2, rc, String.join(" ", bad));
            String message = captured.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains("centile options:"), message);
        }
    }
}
