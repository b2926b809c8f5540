package io.ctcohort.analytics;

import io.ctcohort.analytics.centiles.CentileCurves;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.centiles.FixtureCsv;
import io.ctcohort.analytics.report.CentileReport;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeSplineTable;
import io.ctcohort.core.tables.ExamScoresTable;
import io.ctcohort.core.tables.ReferenceCentilesTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code analyze} with centiles and --age-spline 4 on the golden cohort laid out as an output root: the
 * three new tables in the run folder, read back with DuckDB (columns, one row per group x age x
 * centile and per QC-passed exam x metric, monotone centiles, in-sample calibration), age_spline
 * against statsmodels (fixture age_spline_f.csv), the table against a direct fit of the same exams, and the
 * report's centile page with one fan chart per structure. {@code -Dcentiles.reportDir=DIR} keeps the
 * report there.
 */
class CentileJobTest extends SharedSpark {
    @Test
    void tablesReportAndReferences(@TempDir Path tmp) throws Exception {
        GoldenRun golden = goldenRun(tmp);
        String keep = System.getProperty("centiles.reportDir");
        Path report = keep == null || keep.isBlank() ? tmp.resolve("report") : Paths.get(keep);

        AnalyzeJob.Summary s = AnalyzeJob.run(spark, golden.out().toString(), null, report, StudyOptions.defaults(),
                CentileOptions.defaults().withAgeSplineDf(4));
        System.out.println("analyze with centiles + age spline on the golden cohort, timings ms: " + s.millis());

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (String t : List.of(ReferenceCentilesTable.NAME, ExamScoresTable.NAME, AgeSplineTable.NAME)) {
                st.execute("CREATE VIEW " + t + " AS SELECT * FROM read_parquet('" + golden.run().resolve(t)
                        + "/*.parquet')");
            }
            st.execute("CREATE VIEW passed AS SELECT m.exam_id, m.structure, e.sex, e.age, m.volume_ml, m.hu_mean "
                    + "FROM read_parquet('" + SparkTests.regression().toAbsolutePath().resolve("measurements.parquet") + "') m "
                    + "JOIN read_parquet('" + SparkTests.regression().toAbsolutePath().resolve("exams.parquet") + "') e "
                    + "USING (exam_id) WHERE e.status = 'ok' AND m.voxel_count > 0 AND NOT m.touches_border "
                    + "AND e.sex IN ('F', 'M') AND e.age IS NOT NULL");
            assertEquals(List.of("structure", "metric", "sex", "age", "centile", "value", "n", "spline_df", "method", "reason"),
                    columns(st, ReferenceCentilesTable.NAME));
            assertEquals(List.of("exam_id", "structure", "metric", "sex", "age", "value", "centile_rank", "z", "reason"),
                    columns(st, ExamScoresTable.NAME));
            assertEquals(List.of("structure", "metric", "stratum", "n", "spline_df", "rss_linear", "rss_spline", "f_stat",
                    "df_num", "df_den", "p_nonlinear", "r2_linear", "r2_spline", "reason"), columns(st, AgeSplineTable.NAME));

            // every group fitted (n >= 1320 here): one row per whole year x centile, no reasons
            long expectedRows = scalar(st, "SELECT sum(k) FROM (SELECT (floor(max(age)) - ceil(min(age)) + 1) * 7 AS k FROM "
                    + "(SELECT structure, sex, 'v' AS metric, age FROM passed WHERE volume_ml IS NOT NULL AND NOT isnan(volume_ml) "
                    + " UNION ALL SELECT structure, sex, 'h', age FROM passed WHERE hu_mean IS NOT NULL AND NOT isnan(hu_mean)) "
                    + "GROUP BY structure, sex, metric)");
            assertEquals(expectedRows, scalar(st, "SELECT count(*) FROM reference_centiles"));
            assertEquals(0, scalar(st, "SELECT count(*) FROM reference_centiles WHERE reason IS NOT NULL OR value IS NULL "
                    + "OR method <> 'quantile_regression' OR spline_df <> 4"));
            assertEquals(0, scalar(st, "SELECT count(*) FROM (SELECT value < lag(value) OVER (PARTITION BY structure, metric, "
                    + "sex, age ORDER BY centile) AS down FROM reference_centiles) WHERE down"), "centiles never cross");
            // one score per QC-passed exam and metric
            long passedValues = scalar(st, "SELECT count(volume_ml) FILTER (WHERE NOT isnan(volume_ml)) "
                    + "+ count(hu_mean) FILTER (WHERE NOT isnan(hu_mean)) FROM passed");
            assertEquals(passedValues, scalar(st, "SELECT count(*) FROM exam_scores"));
            assertEquals(passedValues, scalar(st, "SELECT count(*) FROM exam_scores s JOIN passed p USING (exam_id, structure) "
                    + "WHERE s.value = (CASE s.metric WHEN 'volume_ml' THEN p.volume_ml ELSE p.hu_mean END) AND s.sex = p.sex"));
            assertEquals(0, scalar(st, "SELECT count(*) FROM exam_scores WHERE centile_rank IS NULL OR z IS NULL "
                    + "OR centile_rank <= 0 OR centile_rank >= 100 OR reason IS NOT NULL"));
            // in-sample calibration of the scores in every group: shares below the 10th, 50th, 90th centile
            try (ResultSet r = st.executeQuery("SELECT structure, metric, sex, avg((centile_rank < 10)::INT) * 100, "
                    + "avg((centile_rank < 50)::INT) * 100, avg((centile_rank < 90)::INT) * 100, avg(z), stddev_pop(z) "
                    + "FROM exam_scores GROUP BY ALL")) {
                double worst = 0;
                while (r.next()) {
                    String g = r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3);
                    for (int k = 0; k < 3; k++) {
                        double nominal = new double[] {10, 50, 90}[k];
                        worst = Math.max(worst, Math.abs(r.getDouble(4 + k) - nominal));
                        assertEquals(nominal, r.getDouble(4 + k), 1.0, g + " share below the " + nominal + "th centile");
                    }
                    assertEquals(0, r.getDouble(7), 0.1, g + " mean z");
                }
                System.out.println("in-sample share below the 10/50/90th centile: max deviation " + worst + " points");
            }
            compareAgeSpline(st);
            compareWithDirectFitAndR(st);
        }

        // the report: index links the centile page; one fan chart per structure, every image a PNG
        String index = Files.readString(s.reportIndex(), StandardCharsets.UTF_8);
        assertTrue(index.contains("href=\"" + CentileReport.PAGE + "\""), "index links the centile page");
        Path page = report.resolve(CentileReport.PAGE);
        List<String> images = ReportFiles.assertImagesArePngs(page, 20_000);
        long structures = spark.read().parquet(golden.run().resolve(AgeEffectsTable.NAME).toString())
                .select("structure").distinct().count();
        assertEquals(structures, images.size(), "one fan chart per structure");
        assertTrue(Files.size(report.resolve(ReferenceCentilesTable.NAME + ".csv")) > 100_000);
        assertTrue(Files.readAllLines(report.resolve(AgeSplineTable.NAME + ".csv")).size() == 13 * 2 * 3 + 1);
        System.out.println("centile page: " + page + " (" + images.size() + " fan charts)");
    }

    /** age_spline against statsmodels OLS + compare_f_test (fixture age_spline_f.csv), 1e-8 relative. */
    private static void compareAgeSpline(Statement st) throws Exception {
        List<Map<String, String>> expected = FixtureCsv.read("age_spline_f.csv");
        Map<String, Map<String, Object>> actual = new HashMap<>();
        try (ResultSet r = st.executeQuery("SELECT * FROM age_spline")) {
            while (r.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String col : List.of("n", "spline_df", "rss_linear", "rss_spline", "f_stat", "df_num", "df_den",
                        "p_nonlinear", "r2_linear", "r2_spline", "reason")) {
                    row.put(col, r.getObject(col));
                }
                actual.put(r.getString("structure") + "/" + r.getString("metric") + "/" + r.getString("stratum"), row);
            }
        }
        assertEquals(expected.size(), actual.size());
        double worst = 0;
        for (Map<String, String> e : expected) {
            String key = e.get("structure") + "/" + e.get("metric") + "/" + e.get("stratum");
            Map<String, Object> a = actual.get(key);
            assertTrue(a != null, key);
            assertEquals(null, a.get("reason"), key);
            for (String col : List.of("n", "spline_df", "df_num", "df_den")) {
                assertEquals(Long.parseLong(e.get(col)), ((Number) a.get(col)).longValue(), key + " " + col);
            }
            for (String col : List.of("rss_linear", "rss_spline", "f_stat", "p_nonlinear", "r2_linear", "r2_spline")) {
                double x = Double.parseDouble(e.get(col));
                double y = ((Number) a.get(col)).doubleValue();
                double err = Math.abs(x - y) / Math.max(Math.abs(x), 1e-300);
                if (Math.abs(x - y) > 1e-12) {
                    worst = Math.max(worst, err);
                    assertTrue(err <= 1e-8, key + " " + col + ": " + y + " vs statsmodels " + x);
                }
            }
        }
        System.out.println("age_spline vs statsmodels: " + expected.size() + " rows, max relative error " + worst);
    }

    /**
     * The Spark path against a direct fit: for the fixture's structures the table equals
     * {@link CentileCurves#centileValues} of curves fitted here on the same exams (whatever order the
     * shuffle delivered them in). How far rearrangement over the dense grid moved the centiles from R's
     * raw fits (they match before rearrangement: CentileReferenceTest) is printed.
     */
    private static void compareWithDirectFitAndR(Statement st) throws Exception {
        List<Map<String, String>> fitted = FixtureCsv.read("quantreg_fitted.csv");
        java.util.Set<String> structures = new java.util.TreeSet<>();
        fitted.forEach(e -> structures.add(e.get("structure")));
        double worstDirect = 0;
        int compared = 0;
        Map<String, CentileCurves> curves = new HashMap<>();
        for (String structure : structures) {
            for (String metric : List.of("volume_ml", "hu_mean")) {
                for (String sex : List.of("F", "M")) {
                    List<double[]> rows = new ArrayList<>();
                    try (ResultSet r = st.executeQuery("SELECT age, " + metric + " FROM passed WHERE structure = '"
                            + structure + "' AND sex = '" + sex + "' AND " + metric + " IS NOT NULL AND NOT isnan("
                            + metric + ")")) {
                        while (r.next()) {
                            rows.add(new double[] {r.getDouble(1), r.getDouble(2)});
                        }
                    }
                    double[] age = rows.stream().mapToDouble(x -> x[0]).toArray();
                    double[] v = rows.stream().mapToDouble(x -> x[1]).toArray();
                    CentileCurves c = CentileCurves.fit(age, v, CentileOptions.defaults());
                    curves.put(structure + "/" + metric + "/" + sex, c);
                    double[] centiles = c.centiles();
                    try (ResultSet r = st.executeQuery("SELECT age, centile, value FROM reference_centiles WHERE structure = '"
                            + structure + "' AND metric = '" + metric + "' AND sex = '" + sex + "'")) {
                        while (r.next()) {
                            int j = java.util.Arrays.binarySearch(centiles, r.getDouble(2));
                            double direct = c.centileValues(r.getInt(1))[j];
                            double err = Math.abs(direct - r.getDouble(3)) / Math.abs(direct);
                            worstDirect = Math.max(worstDirect, err);
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(worstDirect <= 1e-12, "table vs direct fit: " + worstDirect);
        // how far the rearrangement over the dense grid moved the reported centiles from R's raw fits
        // (the raw fits themselves equal R's: CentileReferenceTest)
        double worstR = 0;
        int moved = 0;
        for (Map<String, String> e : fitted) {
            CentileCurves c = curves.get(e.get("structure") + "/" + e.get("metric") + "/" + e.get("sex"));
            int j = java.util.Arrays.binarySearch(c.centiles(), Double.parseDouble(e.get("tau")) * 100);
            double r = Double.parseDouble(e.get("fitted_r"));
            double d = Math.abs(c.centileValues(Double.parseDouble(e.get("age")))[j] - r) / Math.abs(r);
            worstR = Math.max(worstR, d);
            moved += d > 1e-6 ? 1 : 0;
        }
        System.out.printf("reference_centiles vs a direct fit: %d values, max relative difference %.1e; vs R's raw "
                + "fits: %d of %d values moved by the rearrangement (> 1e-6), by at most %.2e relative%n",
                compared, worstDirect, moved, fitted.size(), worstR);
    }

    private static List<String> columns(Statement st, String table) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (ResultSet r = st.executeQuery("DESCRIBE " + table)) {
            while (r.next()) {
                cols.add(r.getString(1));
            }
        }
        return cols;
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static double scalarDouble(Statement st, String sql) throws SQLException {
        try (ResultSet r = st.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            return r.getDouble(1);
        }
    }
}
