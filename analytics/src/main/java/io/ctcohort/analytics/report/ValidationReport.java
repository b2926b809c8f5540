package io.ctcohort.analytics.report;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.Stratum;
import io.ctcohort.analytics.calibration.CalibratedAgeEffects;
import io.ctcohort.analytics.calibration.CalibratedEffect;
import io.ctcohort.analytics.validation.AgreementSummary;
import io.ctcohort.analytics.validation.ValidationPair;
import io.ctcohort.analytics.validation.ValidationSet;
import io.ctcohort.core.tables.MeasurementsTable;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's validation page ({@code validation.html}), written when the run has validation exams:
 * the Dice of every structure (table and dot chart: each exam's Dice and the mean), Bland-Altman plots
 * per structure of volume_ml and hu_mean (model - reference against their mean, bias and 95 % limits
 * of agreement), the calibration slopes with the flags of validation_summary, and per metric a forest
 * plot of the raw age effect beside the calibrated one (stratum all), which index.html shows too.
 */
public final class ValidationReport {
    public static final String PAGE = "validation.html";
    public static final String DICE_PNG = "validation_dice.png";
    /** The metrics drawn as Bland-Altman plots and calibrated forest plots. */
    static final List<String> PLOTTED = List.of(MeasurementsTable.VOLUME_ML, MeasurementsTable.HU_MEAN);

    private ValidationReport() {
    }

    /** The calibrated forest plot of {@code metric}, relative to the report folder. */
    public static String calibratedForest(String metric) {
        return HtmlReport.PLOTS + "/forest_calibrated_" + metric + ".png";
    }

    /** The metrics with a raw-beside-calibrated forest plot: those with a calibrated effect in stratum all. */
    public static List<String> calibratedMetrics(List<AgeEffect> effects,
                                                 Map<CalibratedAgeEffects.Key, CalibratedEffect> calibrated) {
        return PLOTTED.stream().filter(m -> !calibratedRows(m, effects, calibrated).isEmpty()).toList();
    }

    /**
     * Writes the page and its plots into {@code dir} (plots under {@link HtmlReport#PLOTS}); returns the
     * page -> title link for index.html.
     */
    public static Map<String, String> write(Path dir, ValidationSet set, List<AgreementSummary> summaries,
                                            List<AgeEffect> effects,
                                            Map<CalibratedAgeEffects.Key, CalibratedEffect> calibrated,
                                            String source) {
        try {
            Path plots = Files.createDirectories(dir.resolve(HtmlReport.PLOTS));
            List<String> structures = structures(set, summaries);
            List<Runnable> charts = new ArrayList<>();
            charts.add(() -> writeDice(set, structures, plots.resolve(DICE_PNG)));
            List<String[]> blandAltman = new ArrayList<>();
            for (String s : structures) {
                for (String m : PLOTTED) {
                    List<ValidationPair> pairs = set.pairs(s, m);
                    AgreementSummary summary = summary(summaries, s, m);
                    if (pairs.size() >= 2 && summary != null) {
                        String file = "bland_altman_" + fileSafe(s) + "_" + m + ".png";
                        blandAltman.add(new String[] {s, m, file});
                        charts.add(() -> writeBlandAltman(s, m, pairs, summary, plots.resolve(file)));
                    }
                }
            }
            List<String> forests = calibratedMetrics(effects, calibrated);
            for (String m : forests) {
                charts.add(() -> writeCalibratedForest(m, effects, calibrated, dir.resolve(calibratedForest(m))));
            }
            charts.parallelStream().forEach(Runnable::run);
            Files.writeString(dir.resolve(PAGE), html(source, set, summaries, structures, blandAltman, forests),
                    StandardCharsets.UTF_8);
            Map<String, String> link = new LinkedHashMap<>();
            link.put(PAGE, "Validation against reference segmentations (" + exams(set) + " exams): Dice, "
                    + "Bland-Altman, calibration");
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the validation page into " + dir, e);
        }
    }

    private static long exams(ValidationSet set) {
        TreeSet<String> ids = new TreeSet<>();
        set.dice().forEach(d -> ids.add(d.examId()));
        set.pairs().forEach(p -> ids.add(p.examId()));
        return ids.size();
    }

    /** Structures in the summary's order, else the Dice rows'. */
    private static List<String> structures(ValidationSet set, List<AgreementSummary> summaries) {
        List<String> out = new ArrayList<>();
        summaries.forEach(s -> {
            if (!out.contains(s.structure())) {
                out.add(s.structure());
            }
        });
        set.dice().forEach(d -> {
            if (!out.contains(d.structure())) {
                out.add(d.structure());
            }
        });
        return out;
    }

    private static AgreementSummary summary(List<AgreementSummary> summaries, String structure, String metric) {
        return summaries.stream().filter(a -> a.structure().equals(structure) && a.metric().equals(metric))
                .findFirst().orElse(null);
    }

    /** Each exam's Dice (grey) and the structure's mean (black), one row per structure. */
    private static void writeDice(ValidationSet set, List<String> structures, Path png) {
        XYSeries exams = new XYSeries("exam", false, true);
        XYSeries means = new XYSeries("mean", false, true);
        for (int i = 0; i < structures.size(); i++) {
            double[] d = set.dice(structures.get(i));
            double sum = 0;
            int n = 0;
            for (double v : d) {
                if (Double.isFinite(v)) {
                    exams.add(i, v);
                    sum += v;
                    n++;
                }
            }
            if (n > 0) {
                means.add(i, sum / n);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(exams);
        data.addSeries(means);
        SymbolAxis names = new SymbolAxis(null, structures.toArray(String[]::new));
        names.setInverted(true);
        names.setGridBandsVisible(false);
        NumberAxis dice = new NumberAxis("Dice");
        dice.setRange(0, 1.02);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, Charts.translucent(Color.GRAY, 140));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        renderer.setSeriesPaint(1, Charts.ALL);
        renderer.setSeriesShape(1, new Ellipse2D.Double(-4, -4, 8, 8));
        XYPlot plot = new XYPlot(data, names, dice, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        style(plot);
        JFreeChart chart = new JFreeChart("Dice per structure (model against reference)",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        Charts.savePng(chart, png, 760, 140 + 22 * Math.max(1, structures.size()));
    }

    /** Bland and Altman (1986): model - reference against their mean; bias and limits of agreement as lines. */
    private static void writeBlandAltman(String structure, String metric, List<ValidationPair> pairs,
                                         AgreementSummary summary, Path png) {
        XYSeries points = new XYSeries("exam", false, true);
        for (ValidationPair p : pairs) {
            points.add((p.model() + p.reference()) / 2, p.model() - p.reference());
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, Charts.ALL);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        String unit = metric.equals(MeasurementsTable.VOLUME_ML) ? "ml" : "HU";
        NumberAxis x = new NumberAxis("mean of model and reference (" + unit + ")");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("model - reference (" + unit + ")");
        XYPlot plot = new XYPlot(new XYSeriesCollection(points), x, y, renderer);
        style(plot);
        if (Double.isFinite(summary.bias())) {
            plot.addRangeMarker(new ValueMarker(summary.bias(), Color.BLUE, new BasicStroke(1.2f)), Layer.FOREGROUND);
        }
        for (double loa : new double[] {summary.loaLow(), summary.loaHigh()}) {
            if (Double.isFinite(loa)) {
                plot.addRangeMarker(new ValueMarker(loa, Color.RED, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 1f, new float[] {5f, 4f}, 0f)), Layer.FOREGROUND);
            }
        }
        plot.addRangeMarker(new ValueMarker(0.0, Color.DARK_GRAY, new BasicStroke(0.8f)), Layer.BACKGROUND);
        // The range holds the points, zero and both limits (markers do not widen an automatic range).
        double lo = Math.min(0, points.getMinY());
        double hi = Math.max(0, points.getMaxY());
        for (double v : new double[] {summary.loaLow(), summary.loaHigh()}) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double pad = hi > lo ? 0.08 * (hi - lo) : 1;
        y.setRange(lo - pad, hi + pad);
        JFreeChart chart = new JFreeChart("Bland-Altman: " + structure + " " + metric, JFreeChart.DEFAULT_TITLE_FONT,
                plot, false);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "n %d; bias %.3g (blue), limits of agreement "
                + "%.3g .. %.3g (red)", pairs.size(), summary.bias(), summary.loaLow(), summary.loaHigh())));
        Charts.savePng(chart, png, 560, 400);
    }

    /** Stratum all, pooled phases, a calibrated estimate: the rows of a calibrated forest plot, largest raw first. */
    private static List<AgeEffect> calibratedRows(String metric, List<AgeEffect> effects,
                                                  Map<CalibratedAgeEffects.Key, CalibratedEffect> calibrated) {
        return effects.stream().filter(e -> e.metric().equals(metric) && e.stratum().equals(Stratum.ALL.label())
                        && PhasePlan.ALL_PHASES.equals(e.phase()) && Double.isFinite(e.betaAge())
                        && calibrated(e, calibrated) != null)
                .sorted(Comparator.comparingDouble((AgeEffect e) -> -Math.abs(e.betaAge()))).toList();
    }

    private static CalibratedEffect calibrated(AgeEffect e, Map<CalibratedAgeEffects.Key, CalibratedEffect> all) {
        CalibratedEffect c = all.get(CalibratedAgeEffects.Key.of(e));
        return c != null && c.calibrated() && Double.isFinite(c.beta()) ? c : null;
    }

    /** Per structure: the raw age effect (grey) beside the calibrated one (black), each with its 95 % CI. */
    private static void writeCalibratedForest(String metric, List<AgeEffect> effects,
                                              Map<CalibratedAgeEffects.Key, CalibratedEffect> calibrated, Path png) {
        List<PairedForest.Row> rows = new ArrayList<>();
        for (AgeEffect e : calibratedRows(metric, effects, calibrated)) {
            CalibratedEffect c = calibrated(e, calibrated);
            rows.add(new PairedForest.Row(e.structure(), e.betaAge(), e.ciLow(), e.ciHigh(), c.beta(), c.ciLow(),
                    c.ciHigh()));
        }
        String unit = metric.equals(MeasurementsTable.VOLUME_ML) ? "ml" : "HU";
        PairedForest.write("Age effects of " + metric + ": raw and calibrated",
                "age effect (" + unit + " per year), stratum all", "raw (model's measurements)",
                "calibrated ((beta - c) / b)", rows, png);
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinesVisible(false);
    }

    private static String html(String source, ValidationSet set, List<AgreementSummary> summaries,
                               List<String> structures, List<String[]> blandAltman, List<String> forests) {
        StringBuilder h = new StringBuilder(1 << 15);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>ctcohort validation</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                        + "td.s,th.s{text-align:left}tr:nth-child(even){background:#f6f6f6}img{max-width:100%}"
                        + ".na{color:#999}</style>\n</head><body>\n")
                .append("<p><a href=\"").append(HtmlReport.INDEX).append("\">&larr; age study</a></p>\n")
                .append("<h1>Validation against reference segmentations</h1>\n<p>Source: <code>")
                .append(HtmlReport.esc(source)).append("</code>; ").append(exams(set))
                .append(" validation exams (a reference_mask_uri in the manifest). Dice = 2|A&cap;B| / (|A| + |B|) ")
                .append("per exam; Bland and Altman (1986): differences model - reference, bias and 95 % limits of ")
                .append("agreement (bias &plusmn; 1.96 SD); calibration: OLS of model = a + b &times; reference, whose ")
                .append("slope b is the agreement shown here; the age effects are calibrated, by default, by the same "
                        + "regression with age and the study's covariates beside the reference (beta = (beta_age - c) / b, "
                        + "regression calibration for error that may depend on age; --calibration-model reference-only: "
                        + "beta_age / b). Tables: ")
                .append("<code>validation</code>, <code>validation_summary</code>.</p>\n");

        h.append("<h2>Dice per structure</h2>\n<img src=\"").append(HtmlReport.PLOTS).append('/').append(DICE_PNG)
                .append("\" alt=\"Dice per structure\">\n")
                .append("<table><tr><th class=\"s\">structure</th><th>exams</th><th>mean Dice</th>")
                .append("<th>5th percentile</th><th class=\"s\">flag</th></tr>\n");
        for (String s : structures) {
            AgreementSummary a = summary(summaries, s, MeasurementsTable.VOLUME_ML);
            h.append("<tr><td class=\"s\">").append(HtmlReport.esc(s)).append("</td>");
            if (a == null) {
                h.append("<td>").append(finiteCount(set.dice(s))).append("</td><td></td><td></td><td></td></tr>\n");
            } else {
                h.append("<td>").append(a.nDice()).append("</td>").append(cell(a.diceMean())).append(cell(a.diceP05()))
                        .append("<td class=\"s\">").append(a.flag() == null ? "" : HtmlReport.esc(a.flag()))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n");

        h.append("<h2>Calibration slopes and agreement</h2>\n<table><tr><th class=\"s\">structure</th>")
                .append("<th class=\"s\">metric</th><th>n</th><th>bias</th><th>SD of difference</th>")
                .append("<th>limits of agreement</th><th>slope b</th><th>SE(b)</th><th>intercept a</th>")
                .append("<th class=\"s\">flag</th><th class=\"s\">reason</th></tr>\n");
        for (AgreementSummary a : summaries) {
            h.append("<tr><td class=\"s\">").append(HtmlReport.esc(a.structure())).append("</td><td class=\"s\">")
                    .append(HtmlReport.esc(a.metric())).append("</td><td>").append(a.n()).append("</td>")
                    .append(cell(a.bias())).append(cell(a.sdDifference())).append("<td>")
                    .append(Double.isFinite(a.loaLow()) ? fmt(a.loaLow()) + " .. " + fmt(a.loaHigh()) : "")
                    .append("</td>").append(cell(a.calibrationSlope())).append(cell(a.calibrationSlopeSe()))
                    .append(cell(a.calibrationIntercept())).append("<td class=\"s\">")
                    .append(a.flag() == null ? "" : HtmlReport.esc(a.flag())).append("</td><td class=\"s na\">")
                    .append(a.reason() == null ? "" : HtmlReport.esc(a.reason())).append("</td></tr>\n");
        }
        h.append("</table>\n");

        if (!forests.isEmpty()) {
            h.append("<h2>Raw and calibrated age effects</h2>\n");
            for (String m : forests) {
                h.append("<img src=\"").append(calibratedForest(m)).append("\" alt=\"raw and calibrated ")
                        .append(m).append("\">\n");
            }
        }
        h.append("<h2>Bland-Altman plots</h2>\n");
        for (String[] b : blandAltman) {
            h.append("<img src=\"").append(HtmlReport.PLOTS).append('/').append(HtmlReport.esc(b[2]))
                    .append("\" alt=\"Bland-Altman ").append(HtmlReport.esc(b[0])).append(' ').append(b[1])
                    .append("\" width=\"560\">\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static long finiteCount(double[] v) {
        long n = 0;
        for (double d : v) {
            n += Double.isFinite(d) ? 1 : 0;
        }
        return n;
    }

    private static String fileSafe(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return safe.equals(name) ? safe : safe + "-" + Integer.toHexString(name.hashCode());
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "<td class=\"na\">NaN</td>" : "<td>" + fmt(v) + "</td>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
