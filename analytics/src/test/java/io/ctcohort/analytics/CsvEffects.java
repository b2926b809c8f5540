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

    private static double d(Map<String, String> r, String c) {
        String s = r.get(c);
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
