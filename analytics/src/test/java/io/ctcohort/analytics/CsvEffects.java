package io.ctcohort.analytics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads an age_effects.csv written by the job back into AgeEffect rows (for round-trip checks). */
final class CsvEffects {
    private CsvEffects() {
    }

    static List<AgeEffect> read(Path csv) throws IOException {
        List<AgeEffect> out = new ArrayList<>();
        for (Map<String, String> r : ExpectedCsv.read(csv).values()) {
            out.add(new AgeEffect(r.get("structure"), r.get("metric"), r.get("stratum"), Long.parseLong(r.get("n")),
                    d(r, "spearman_rho"), d(r, "spearman_p"), d(r, "beta_age"), d(r, "se_age"), d(r, "t_age"),
                    d(r, "p_age"), d(r, "ci_low"), d(r, "ci_high"), d(r, "r2"), d(r, "intercept"),
                    d(r, "p_age_bonferroni"), d(r, "q_age_bh"), Double.NaN,
                    r.get("reason").isEmpty() ? null : r.get("reason")));
        }
        return out;
    }

    /** age_effects read back from Parquet (metricSd is not stored: NaN). */
    static List<AgeEffect> fromParquet(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table) {
        List<AgeEffect> out = new ArrayList<>();
        for (org.apache.spark.sql.Row r : table.collectAsList()) {
            double[] v = new double[12];
            for (int i = 0; i < 12; i++) {
                v[i] = r.getDouble(4 + i);
            }
            out.add(new AgeEffect(r.getString(0), r.getString(1), r.getString(2), r.getLong(3), v[0], v[1], v[2], v[3],
                    v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], Double.NaN, r.isNullAt(16) ? null : r.getString(16)));
        }
        return out;
    }

    private static double d(Map<String, String> r, String c) {
        String s = r.get(c);
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
