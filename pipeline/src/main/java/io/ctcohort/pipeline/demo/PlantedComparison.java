package io.ctcohort.pipeline.demo;

import io.ctcohort.engine.phantom.PlantedEffects;
import io.ctcohort.engine.phantom.PlantedEffects.PlantedEffect;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each planted age effect beside the effect recovered from the segmented data and the effect
 * fitted on the truth (both stratum {@code all}, metric ~ age + sex). The recovery passes when the
 * sign of every planted effect is right and the recovered 95 % CI covers the truth-fitted beta for
 * at least 90 % of them (the demo's goal).
 */
public final class PlantedComparison {
    public static final String CSV = "planted_vs_recovered.csv";
    static final String CSV_HEADER = "structure,metric,planted_per_year,planted_unit,crosses_field_of_view,"
            + "n_segmented,beta_segmented,ci_low_segmented,ci_high_segmented,p_segmented,percent_per_year_segmented,"
            + "n_truth,beta_truth,ci_low_truth,ci_high_truth,percent_per_year_truth,beta_unit,sign_right,"
            + "ci_covers_truth";

    /** One planted effect; an estimate is null when the study has no row for it. */
    public record Comparison(PlantedEffect planted, Estimate segmented, Estimate truth) {
        public boolean signRight() {
            return segmented != null && segmented.isFinite() && Math.signum(segmented.beta()) == planted.sign();
        }

        public boolean coversTruth() {
            return segmented != null && truth != null && segmented.isFinite() && Double.isFinite(truth.beta())
                    && segmented.covers(truth.beta());
        }

        public String betaUnit() {
            return planted.metric() == PlantedEffects.Metric.VOLUME_ML ? "ml/year" : "HU/year";
        }
    }

    /** The counts the demo's verdict is made of. */
    public record Verdict(int effects, int signRight, int covered, int significant) {
        public boolean passed() {
            return effects > 0 && signRight == effects && covered * 10 >= effects * 9;
        }

        /**
         * What held and what did not, in words: the run itself succeeded whenever this line prints,
         * so it must not read like an error.
         */
        public String line() {
            return String.format(Locale.ROOT,
                    "recovery of the planted effects: sign right for %d/%d; recovered 95%% CI covers the "
                            + "truth-fitted beta for %d/%d (%.0f%%; the demo's goal is >= 90%%: %s); %d/%d significant "
                            + "at p < 0.05",
                    signRight, effects, covered, effects, effects == 0 ? 0.0 : 100.0 * covered / effects,
                    passed() ? "met" : "not met, see README", significant, effects);
        }
    }

    private final List<Comparison> rows;

    public PlantedComparison(Map<String, Estimate> segmented, Map<String, Estimate> truth) {
        rows = new ArrayList<>();
        for (PlantedEffect p : PlantedEffects.ALL) {
            String key = Estimate.key(p.structure(), p.metric().column());
            rows.add(new Comparison(p, segmented.get(key), truth.get(key)));
        }
    }

    public List<Comparison> rows() {
        return rows;
    }

    public Verdict verdict() {
        int sign = 0;
        int covered = 0;
        int significant = 0;
        for (Comparison c : rows) {
            sign += c.signRight() ? 1 : 0;
            covered += c.coversTruth() ? 1 : 0;
            significant += c.segmented() != null && c.segmented().p() < 0.05 ? 1 : 0;
        }
        return new Verdict(rows.size(), sign, covered, significant);
    }

    /** The short console table. */
    public void print(PrintStream out) {
        out.println("planted age effects vs recovered (stratum all: metric ~ age + sex, OLS; beta per year of age)");
        String fmt = "%-17s %-9s %-12s %-38s %-24s %-5s %s%n";
        out.printf(Locale.ROOT, fmt, "structure", "metric", "planted", "recovered: beta [95% CI] (%/yr)",
                "truth: beta (%/yr)", "sign", "CI covers truth");
        for (Comparison c : rows) {
            PlantedEffect p = c.planted();
            boolean volume = p.metric() == PlantedEffects.Metric.VOLUME_ML;
            String planted = String.format(Locale.ROOT, "%+.2f %s", p.perYear(), volume ? "%/yr" : "HU/yr");
            String rec = "no estimate";
            if (c.segmented() != null) {
                Estimate s = c.segmented();
                rec = String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", s.beta(), s.ciLow(), s.ciHigh())
                        + (volume ? String.format(Locale.ROOT, " (%+.2f%%)", s.percentPerYear()) : "");
            }
            String tru = "no estimate";
            if (c.truth() != null) {
                Estimate t = c.truth();
                tru = String.format(Locale.ROOT, "%+.3f", t.beta())
                        + (volume ? String.format(Locale.ROOT, " (%+.2f%%)", t.percentPerYear()) : "");
            }
            out.printf(Locale.ROOT, fmt, p.structure() + (p.crossesFieldOfView() ? "*" : ""), p.metric().column(),
                    planted, c.segmented() == null ? rec : rec + " " + (volume ? "ml" : "HU"), tru, c.signRight() ? "yes" : "NO",
                    c.coversTruth() ? "yes" : "no");
        }
        out.println("* runs through every scan (touches the border in every exam): border QC rule off for it");
    }

    public void writeCsv(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                w.write(CSV_HEADER + "\n");
                for (Comparison c : rows) {
                    PlantedEffect p = c.planted();
                    Estimate s = c.segmented();
                    Estimate t = c.truth();
                    boolean volume = p.metric() == PlantedEffects.Metric.VOLUME_ML;
                    List<String> f = new ArrayList<>(List.of(p.structure(), p.metric().column(), num(p.perYear()),
                            p.metric().unit(), String.valueOf(p.crossesFieldOfView())));
                    f.addAll(s == null ? List.of("0", "", "", "", "", "")
                            : List.of(String.valueOf(s.n()), num(s.beta()), num(s.ciLow()), num(s.ciHigh()), num(s.p()),
                                    volume ? num(s.percentPerYear()) : ""));
                    f.addAll(t == null ? List.of("0", "", "", "", "")
                            : List.of(String.valueOf(t.n()), num(t.beta()), num(t.ciLow()), num(t.ciHigh()),
                                    volume ? num(t.percentPerYear()) : ""));
                    f.addAll(List.of(c.betaUnit(), String.valueOf(c.signRight()), String.valueOf(c.coversTruth())));
                    w.write(String.join(",", f) + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
