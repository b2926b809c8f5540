package io.ctcohort.analytics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Golden age_effects CSVs (statsmodels/scipy output) and the comparison of computed effects against them. */
final class ExpectedCsv {
    static final String[] VALUE_COLUMNS = {"spearman_rho", "spearman_p", "beta_age", "se_age", "t_age", "p_age",
            "ci_low", "ci_high", "r2", "intercept", "p_age_bonferroni", "q_age_bh"};

    private ExpectedCsv() {
    }

    /** key "structure|metric|stratum" -> column -> text ("" = NaN). */
    static Map<String, Map<String, String>> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], f[i]);
            }
            out.put(row.get("structure") + "|" + row.get("metric") + "|" + row.get("stratum"), row);
        }
        return out;
    }

    static double value(AgeEffect e, String column) {
        return switch (column) {
            case "spearman_rho" -> e.spearmanRho();
            case "spearman_p" -> e.spearmanP();
            case "beta_age" -> e.betaAge();
            case "se_age" -> e.seAge();
            case "t_age" -> e.tAge();
            case "p_age" -> e.pAge();
            case "ci_low" -> e.ciLow();
            case "ci_high" -> e.ciHigh();
            case "r2" -> e.r2();
            case "intercept" -> e.intercept();
            case "p_age_bonferroni" -> e.pAgeBonferroni();
            case "q_age_bh" -> e.qAgeBh();
            default -> throw new IllegalArgumentException(column);
        };
    }

    /**
     * Every expected row present with n exactly and every value within relative 1e-8 (absolute
     * 1e-12 near zero); NaN exactly where the expected cell is empty. Returns the worst relative error.
     */
    static double assertMatches(Map<String, Map<String, String>> expected, List<AgeEffect> actual) {
        Map<String, AgeEffect> byKey = new LinkedHashMap<>();
        for (AgeEffect e : actual) {
            byKey.put(e.structure() + "|" + e.metric() + "|" + e.stratum(), e);
        }
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (Map.Entry<String, Map<String, String>> row : expected.entrySet()) {
            AgeEffect e = byKey.get(row.getKey());
            assertNotNull(e, "no computed row for " + row.getKey());
            assertEquals(Long.parseLong(row.getValue().get("n")), e.n(), "n of " + row.getKey());
            for (String c : VALUE_COLUMNS) {
                String text = row.getValue().get(c);
                double got = value(e, c);
                if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
                    if (!Double.isNaN(got)) {
                        failures.add(row.getKey() + " " + c + ": expected NaN, got " + got);
                    }
                    continue;
                }
                double want = Double.parseDouble(text);
                double err = Math.abs(got - want);
                double rel = err / Math.max(Math.abs(want), 1e-300);
                if (Double.isNaN(got) || (err > 1e-12 && rel > 1e-8)) {
                    failures.add(row.getKey() + " " + c + ": expected " + want + ", got " + got + " (rel " + rel + ")");
                } else if (err > 1e-12) {
                    worst = Math.max(worst, rel);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " mismatches:\n" + String.join("\n", failures));
        }
        assertTrue(worst <= 1e-8);
        return worst;
    }
}
