package io.ctcohort.analytics.centiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden cohort (reference/regression) after the age study's QC, read with DuckDB: per structure,
 * metric and sex the ages and values (complete cases), as the fixture scripts select them.
 */
final class ReferenceCohort {
    record Group(double[] age, double[] value) {
    }

    private ReferenceCohort() {
    }

    static Path regression() {
        return Paths.get(System.getProperty("ctcohort.reference", "../../shared/reference")).resolve("regression");
    }

    static boolean present() {
        return Files.isRegularFile(regression().resolve("exams.parquet"))
                && Files.isRegularFile(regression().resolve("measurements.parquet"));
    }

    /** key "structure/metric/sex" -> group, for the given structures. */
    static Map<String, Group> groups(List<String> structures) throws SQLException {
        Path dir = regression().toAbsolutePath();
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (String metric : List.of("volume_ml", "hu_mean")) {
                String sql = "SELECT m.structure, upper(trim(e.sex)) AS sex, CAST(e.age AS DOUBLE) AS age, "
                        + "CAST(m." + metric + " AS DOUBLE) AS v "
                        + "FROM read_parquet('" + dir.resolve("measurements.parquet") + "') m "
                        + "JOIN read_parquet('" + dir.resolve("exams.parquet") + "') e USING (exam_id) "
                        + "WHERE e.status = 'ok' AND m.voxel_count > 0 AND NOT coalesce(m.touches_border, false) "
                        + "AND upper(trim(e.sex)) IN ('F', 'M') AND e.age IS NOT NULL AND m." + metric + " IS NOT NULL "
                        + "AND NOT isnan(m." + metric + ") AND m.structure IN ('" + String.join("','", structures) + "') "
                        + "ORDER BY m.exam_id";
                try (ResultSet r = st.executeQuery(sql)) {
                    while (r.next()) {
                        String key = r.getString(1) + "/" + metric + "/" + r.getString(2);
                        rows.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.getDouble(3), r.getDouble(4)});
                    }
                }
            }
        }
        Map<String, Group> out = new LinkedHashMap<>();
        rows.forEach((k, list) -> {
            double[] a = new double[list.size()];
            double[] v = new double[list.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = list.get(i)[0];
                v[i] = list.get(i)[1];
            }
            out.put(k, new Group(a, v));
        });
        return out;
    }
}
