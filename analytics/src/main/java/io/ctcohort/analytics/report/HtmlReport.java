package io.ctcohort.analytics.report;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study as one self-contained HTML page (no scripts, no network: opens offline) with PNG plots
 * beside it: QC summary, forest plots of standardized age effects, every effect sorted by strength
 * (|t| of the age coefficient, else |rho|), and per structure a scatter of both metrics against age
 * by sex with LOESS curves.
 */
public final class HtmlReport {
    public static final String INDEX = "index.html";
    public static final String PLOTS = "plots";
    /** The adjusted-beside-unadjusted forest plot, drawn when some attenuation metric was adjusted for phase. */
    public static final String PHASE_FOREST = "forest_phase_adjustment.png";

    /**
     * What the page shows besides the effects; {@code pages}: further report pages (file -> title) to
     * link; {@code calibratedForests}: forest plots (paths relative to the report) of raw beside
     * calibrated age effects, drawn where the run's validation exams calibrated some ({@link ValidationReport}).
     */
    public record Context(String source, Map<String, Long> qcRemoved, long qcTotal, String options,
                          List<String> csvFiles, Map<String, String> pages, List<String> calibratedForests) {
        public Context(String source, Map<String, Long> qcRemoved, long qcTotal, String options, List<String> csvFiles) {
            this(source, qcRemoved, qcTotal, options, csvFiles, Map.of());
        }

        public Context(String source, Map<String, Long> qcRemoved, long qcTotal, String options, List<String> csvFiles,
                       Map<String, String> pages) {
            this(source, qcRemoved, qcTotal, options, csvFiles, pages, List.of());
        }
    }

    private HtmlReport() {
    }

    /** Writes index.html and plots/*.png into {@code dir}; returns the index file. */
    public static Path write(Path dir, List<AgeEffect> effects, Map<String, PlotData> plots, Context context) {
        try {
            Path plotDir = Files.createDirectories(dir.resolve(PLOTS));
            // every chart is independent: draw them all in parallel (forest plots first, they are the largest)
            List<Runnable> charts = new ArrayList<>();
            for (String m : metrics(effects)) {
                charts.add(() -> ForestPlot.write(m, effects, plotDir.resolve("forest_" + fileSafe(m) + ".png")));
            }
            if (!ForestPlot.adjustedRows(effects).isEmpty()) {
                charts.add(() -> ForestPlot.writePhase(effects, plotDir.resolve(PHASE_FOREST)));
            }
            for (PlotData p : plots.values()) {
                charts.add(() -> ScatterPlot.write(p, plotDir.resolve(fileName(p.structure()) + ".png")));
            }
            charts.parallelStream().forEach(Runnable::run);
            Path index = dir.resolve(INDEX);
            Files.writeString(index, html(effects, plots, context), StandardCharsets.UTF_8);
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir, e);
        }
    }

    /** The metrics with a forest plot: the measurements' (volume_ml, hu_mean) first, then the biomarkers' by name. */
    static List<String> metrics(List<AgeEffect> effects) {
        List<String> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            out.add(m.column());
        }
        effects.stream().map(AgeEffect::metric).filter(m -> !out.contains(m)).distinct().sorted().forEach(out::add);
        return out;
    }

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * The plot's file name (also the page anchor). A name that needs characters replaced also gets its
     * hash, so that "a b" and "a_b" keep two plots instead of one overwriting the other.
     */
    static String fileName(String structure) {
        String safe = structure.replaceAll("[^A-Za-z0-9_.-]", "_");
        return "scatter_" + (safe.equals(structure) ? safe : safe + "-" + Integer.toHexString(structure.hashCode()));
    }

    private static String html(List<AgeEffect> effects, Map<String, PlotData> plots, Context c) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ctcohort age study</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                        + "td.s,th.s{text-align:left}tr:nth-child(even){background:#f6f6f6}img{max-width:100%}"
                        + ".na{color:#999}</style>\n</head><body>\n")
                .append("<h1>Age effects</h1>\n<p>Source: <code>").append(esc(c.source())).append("</code><br>")
                .append("Model: metric ~ 1 + age + male (stratum all), metric ~ 1 + age within sex")
                .append(esc(c.options())).append(". Spearman rho over the same complete cases. ")
                .append("Bonferroni and Benjamini-Hochberg over the (structure, metric) pairs of a stratum.</p>\n");

        h.append("<h2>Quality control</h2>\n<table><tr><th class=\"s\">rule</th><th>rows removed</th></tr>\n")
                .append("<tr><td class=\"s\">measurement rows read</td><td>").append(c.qcTotal()).append("</td></tr>\n");
        long kept = c.qcTotal();
        for (Map.Entry<String, Long> e : c.qcRemoved().entrySet()) {
            h.append("<tr><td class=\"s\">").append(esc(e.getKey())).append("</td><td>").append(e.getValue())
                    .append("</td></tr>\n");
            kept -= e.getValue();
        }
        h.append("<tr><td class=\"s\"><b>kept</b></td><td><b>").append(kept).append("</b></td></tr></table>\n");
        if (!c.csvFiles().isEmpty()) {
            h.append("<p>Tables: ");
            for (String f : c.csvFiles()) {
                h.append("<a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a> ");
            }
            h.append("</p>\n");
        }
        for (Map.Entry<String, String> page : c.pages().entrySet()) {
            h.append("<p><a href=\"").append(esc(page.getKey())).append("\"><b>").append(esc(page.getValue()))
                    .append("</b></a></p>\n");
        }

        h.append("<h2>Standardized age effects</h2>\n<p>Change per decade of age in standard deviations of the ")
                .append("metric (10 &times; beta_age / SD within the stratum), with 95 % confidence intervals.</p>\n");
        for (String m : metrics(effects)) {
            h.append("<img src=\"").append(PLOTS).append("/forest_").append(esc(fileSafe(m))).append(".png\" alt=\"forest plot ")
                    .append(esc(m)).append("\">\n");
        }
        if (!c.calibratedForests().isEmpty()) {
            h.append("<h2 id=\"calibrated\">Raw and calibrated age effects</h2>\n<p>Where the run's validation exams ")
                    .append("calibrate an effect: the raw age effect (the model's measurements) beside the calibrated ")
                    .append("one ((beta_age - c) / b from the calibration on the validation exams, with its 95 % CI), ")
                    .append("stratum all; columns ")
                    .append("<code>beta_age_calibrated</code>, <code>ci_low_calibrated</code>, <code>ci_high_calibrated")
                    .append("</code> of age_effects.</p>\n");
            for (String png : c.calibratedForests()) {
                h.append("<img src=\"").append(esc(png)).append("\" alt=\"raw and calibrated age effects\">\n");
            }
        }
        phaseSection(h, effects);

        List<AgeEffect> sorted = new ArrayList<>(effects);
        sorted.sort(Comparator.comparingDouble(AgeEffect::strength).reversed());
        h.append("<h2>All effects, strongest first</h2>\n");
        table(h, sorted, true);

        h.append("<h2>Structures</h2>\n");
        for (String structure : plots.keySet()) {
            h.append("<h3 id=\"").append(esc(fileName(structure))).append("\">").append(esc(structure)).append("</h3>\n")
                    .append("<img src=\"").append(PLOTS).append('/').append(esc(fileName(structure)))
                    .append(".png\" alt=\"").append(esc(structure)).append(" against age\">\n");
            table(h, effects.stream().filter(e -> e.structure().equals(structure)).toList(), false);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /**
     * Attenuation metrics adjusted for contrast phase: the adjusted age effect beside the unadjusted one
     * over the same exams (every stratum), and the forest plot of stratum all. Nothing without adjustment.
     */
    private static void phaseSection(StringBuilder h, List<AgeEffect> effects) {
        List<AgeEffect> adjusted = effects.stream()
                .filter(e -> io.ctcohort.analytics.PhasePlan.ADJUSTED.equals(e.phaseAdjustment())).toList();
        if (adjusted.isEmpty()) {
            return;
        }
        h.append("<h2 id=\"phase\">Contrast phase: adjusted beside unadjusted</h2>\n<p>Attenuation metrics of exams of ")
                .append("several contrast phases: the age effect with one indicator per phase in the model (reference ")
                .append("native; exams of unknown phase left out) beside the same model without them, over the same ")
                .append("exams. The difference is what the phase mix, changing with age, adds to an unadjusted slope.</p>\n");
        if (!ForestPlot.adjustedRows(effects).isEmpty()) {
            h.append("<img src=\"").append(PLOTS).append('/').append(PHASE_FOREST)
                    .append("\" alt=\"adjusted and unadjusted attenuation age effects\">\n");
        }
        h.append("<table><tr><th class=\"s\">structure</th><th class=\"s\">metric</th><th class=\"s\">stratum</th>")
                .append("<th>n</th><th>unadjusted beta/year</th><th>unadjusted 95 % CI</th><th>unadjusted p</th>")
                .append("<th>adjusted beta/year</th><th>adjusted 95 % CI</th><th>adjusted p</th>")
                .append("<th>adjusted - unadjusted</th></tr>\n");
        for (AgeEffect e : adjusted) {
            h.append("<tr><td class=\"s\">").append(esc(e.structure())).append("</td><td class=\"s\">")
                    .append(esc(e.metric())).append("</td><td class=\"s\">").append(e.stratum()).append("</td><td>")
                    .append(e.n()).append("</td>").append(cell(e.betaAgeUnadjusted()))
                    .append(ci(e.ciLowUnadjusted(), e.ciHighUnadjusted())).append(pCell(e.pAgeUnadjusted()))
                    .append(cell(e.betaAge())).append(ci(e.ciLow(), e.ciHigh())).append(pCell(e.pAge()))
                    .append(cell(e.betaAge() - e.betaAgeUnadjusted())).append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String ci(double lo, double hi) {
        return "<td>" + (Double.isNaN(lo) ? "" : fmt(lo) + " .. " + fmt(hi)) + "</td>";
    }

    private static void table(StringBuilder h, List<AgeEffect> rows, boolean link) {
        h.append("<table><tr><th class=\"s\">structure</th><th class=\"s\">metric</th><th class=\"s\">stratum</th>")
                .append("<th>n</th><th>rho</th><th>p (Spearman)</th><th>beta/year</th><th>95 % CI</th><th>t</th>")
                .append("<th>p</th><th>p Bonferroni</th><th>q (BH)</th><th>R&sup2;</th><th>SD/decade</th>")
                .append("<th class=\"s\">phase</th><th class=\"s\">not estimable</th></tr>\n");
        for (AgeEffect e : rows) {
            h.append("<tr><td class=\"s\">");
            if (link) {
                h.append("<a href=\"#").append(esc(fileName(e.structure()))).append("\">").append(esc(e.structure()))
                        .append("</a>");
            } else {
                h.append(esc(e.structure()));
            }
            h.append("</td><td class=\"s\">").append(e.metric()).append("</td><td class=\"s\">").append(e.stratum())
                    .append("</td><td>").append(e.n()).append("</td>")
                    .append(cell(e.spearmanRho())).append(pCell(e.spearmanP())).append(cell(e.betaAge()))
                    .append("<td>").append(Double.isNaN(e.ciLow()) ? "" : fmt(e.ciLow()) + " .. " + fmt(e.ciHigh()))
                    .append("</td>").append(cell(e.tAge())).append(pCell(e.pAge())).append(pCell(e.pAgeBonferroni()))
                    .append(pCell(e.qAgeBh())).append(cell(e.r2())).append(cell(ForestPlot.perDecadeInSd(e.betaAge(), e)))
                    .append("<td class=\"s\">").append(phaseText(e)).append("</td>")
                    .append("<td class=\"s na\">").append(e.reason() == null ? "" : esc(e.reason())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** Empty for rows without phase treatment; else e.g. "all, adjusted" or "native, stratified". */
    private static String phaseText(AgeEffect e) {
        return io.ctcohort.analytics.PhasePlan.NONE.equals(e.phaseAdjustment()) ? ""
                : esc(e.phase()) + ", " + esc(e.phaseAdjustment());
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "<td class=\"na\">NaN</td>" : "<td>" + fmt(v) + "</td>";
    }

    /** p-values below the smallest double underflow to 0 (as in statsmodels); say so instead of "0.000". */
    private static String pCell(double p) {
        return p == 0.0 ? "<td>&lt; 1e-300</td>" : cell(p);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
