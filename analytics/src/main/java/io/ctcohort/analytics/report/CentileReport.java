package io.ctcohort.analytics.report;

import io.ctcohort.analytics.CsvTables;
import io.ctcohort.analytics.centiles.AgeSplineFit;
import io.ctcohort.analytics.centiles.CentileChart;
import io.ctcohort.analytics.centiles.CentileCurves;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.centiles.CentileStudy;
import io.ctcohort.analytics.centiles.CentileTables;
import io.ctcohort.core.tables.AgeSplineTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ReferenceCentilesTable;
import org.apache.spark.sql.Row;

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
 * The report's centile page, {@code centiles.html} beside index.html (offline, no scripts): how the
 * curves were made, the age-spline F tests (with --age-spline), and per structure its fan chart
 * ({@link FanChart}) and which groups have no curves and why.
 */
public final class CentileReport {
    public static final String PAGE = "centiles.html";

    private CentileReport() {
    }

    /**
     * The page for a centile pass, with CSV copies of reference_centiles and age_spline beside it (not of
     * exam_scores: one row per exam and structure belongs in Parquet). Returns page file -> title, for
     * the index page's links.
     */
    public static Map<String, String> writeFor(Path dir, CentileStudy.Result result, Map<String, PlotData> points,
                                               String source) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create report folder " + dir, e);
        }
        List<String> csv = new ArrayList<>();
        if (result.referenceCentiles() != null) {
            String f = ReferenceCentilesTable.NAME + ".csv";
            CsvTables.write(dir.resolve(f), ReferenceCentilesTable.SCHEMA,
                    result.referenceCentiles().orderBy(Columns.STRUCTURE, Columns.METRIC, Columns.SEX, Columns.AGE,
                            ReferenceCentilesTable.CENTILE).collectAsList());
            csv.add(f);
        }
        List<AgeSplineFit> splines = result.ageSplineFits();
        if (result.ageSpline() != null) {
            String f = AgeSplineTable.NAME + ".csv";
            List<Row> rows = new ArrayList<>();
            splines.forEach(s -> rows.add(CentileTables.ageSplineRow(s)));
            CsvTables.write(dir.resolve(f), AgeSplineTable.SCHEMA, rows);
            csv.add(f);
        }
        write(dir, result.charts(), points, splines, result.options(), source, csv);
        return Map.of(PAGE, result.options().enabled() ? "Reference centiles by age and sex (fan charts)"
                : "Age as a spline: F tests and curves");
    }

    /**
     * @param points     the scatter data of the age study's report (points drawn under the curves)
     * @param ageSplines the F tests (empty without --age-spline)
     * @param csvFiles   CSV copies beside the page, linked from it
     */
    public static Path write(Path dir, List<CentileChart> charts, Map<String, PlotData> points,
                             List<AgeSplineFit> ageSplines, CentileOptions options, String source, List<String> csvFiles) {
        try {
            Path plotDir = Files.createDirectories(dir.resolve(HtmlReport.PLOTS));
            FanChart.writeAll(charts, points, plotDir);
            Path page = dir.resolve(PAGE);
            Files.writeString(page, html(charts, ageSplines, options, source, csvFiles), StandardCharsets.UTF_8);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the centile page into " + dir, e);
        }
    }

    private static String html(List<CentileChart> charts, List<AgeSplineFit> splines, CentileOptions o, String source,
                               List<String> csvFiles) {
        StringBuilder h = new StringBuilder(1 << 15);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ctcohort reference centiles</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                        + "td.s,th.s{text-align:left}tr:nth-child(even){background:#f6f6f6}img{max-width:100%}"
                        + ".na{color:#999}</style>\n</head><body>\n")
                .append("<p><a href=\"").append(HtmlReport.INDEX).append("\">&larr; age effects</a></p>\n");
        if (o.enabled()) {
            h.append("<h1>Reference centiles by age and sex</h1>\n<p>Source: <code>").append(HtmlReport.esc(source))
                    .append("</code><br>Per structure, metric and sex: linear quantile regression of the metric on an ")
                    .append("intercept and a natural cubic spline of age (R's <code>ns(age, df=").append(o.splineDf())
                    .append(")</code>: ").append(o.splineDf() - 1).append(" interior knots at age quantiles), solved ")
                    .append("exactly (simplex), at every ").append(FanChart.fmt(o.gridStep())).append(" % from centile ")
                    .append(FanChart.fmt(o.centiles()[0])).append(" to centile ")
                    .append(FanChart.fmt(o.centiles()[o.centiles().length - 1])).append("; crossing ")
                    .append("prevented by sorting the fitted values at each age (monotone rearrangement). Method <code>")
                    .append(CentileCurves.METHOD).append("</code>. Fits need at least ").append(o.requiredExams())
                    .append(" exams. Each exam's centile rank and z-score are in the table <code>exam_scores</code>.</p>\n");
        } else {
            h.append("<h1>Age as a spline</h1>\n<p>Source: <code>").append(HtmlReport.esc(source)).append("</code></p>\n");
        }
        if (!csvFiles.isEmpty()) {
            h.append("<p>Tables: ");
            for (String f : csvFiles) {
                h.append("<a href=\"").append(HtmlReport.esc(f)).append("\">").append(HtmlReport.esc(f)).append("</a> ");
            }
            h.append("</p>\n");
        }
        if (!splines.isEmpty()) {
            List<AgeSplineFit> sorted = new ArrayList<>(splines);
            sorted.sort(Comparator.comparingDouble((AgeSplineFit f) -> Double.isNaN(f.pNonlinear()) ? 2 : f.pNonlinear()));
            int df = sorted.get(0).splineDf();
            h.append("<h2>Is the age effect linear?</h2>\n<p>OLS with a natural spline of age (df ").append(df)
                    .append(") against the linear model, same terms otherwise; F test of the ").append(df - 1)
                    .append(" extra terms, smallest p first. The spline curves are drawn dashed in the charts.</p>\n")
                    .append("<table><tr><th class=\"s\">structure</th><th class=\"s\">metric</th><th class=\"s\">stratum</th>")
                    .append("<th>n</th><th>F</th><th>df</th><th>p (non-linear)</th><th>R&sup2; linear</th>")
                    .append("<th>R&sup2; spline</th><th class=\"s\">not estimable</th></tr>\n");
            for (AgeSplineFit f : sorted) {
                h.append("<tr><td class=\"s\"><a href=\"#").append(HtmlReport.esc(FanChart.fileName(f.structure())))
                        .append("\">").append(HtmlReport.esc(f.structure())).append("</a></td><td class=\"s\">")
                        .append(f.metric()).append("</td><td class=\"s\">").append(f.stratum()).append("</td><td>")
                        .append(f.n()).append("</td>").append(cell(f.fStat())).append("<td>").append(f.dfNum()).append(", ")
                        .append(f.dfDen()).append("</td>").append(cell(f.pNonlinear())).append(cell(f.r2Linear()))
                        .append(cell(f.r2Spline())).append("<td class=\"s na\">")
                        .append(f.reason() == null ? "" : HtmlReport.esc(f.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Structures</h2>\n");
        for (CentileChart c : charts) {
            String file = FanChart.fileName(c.structure());
            h.append("<h3 id=\"").append(HtmlReport.esc(file)).append("\">").append(HtmlReport.esc(c.structure()))
                    .append("</h3>\n<img src=\"").append(HtmlReport.PLOTS).append('/').append(HtmlReport.esc(file))
                    .append(".png\" alt=\"").append(HtmlReport.esc(c.structure())).append(" reference centiles\">\n");
            List<CentileChart.Panel> missing = c.panels().stream().filter(p -> p.reason() != null).toList();
            if (!missing.isEmpty()) {
                h.append("<ul>");
                for (CentileChart.Panel p : missing) {
                    h.append("<li>").append(p.metric()).append(", ").append(p.sex().equals("F") ? "women" : "men")
                            .append(": ").append(HtmlReport.esc(p.reason())).append("</li>");
                }
                h.append("</ul>\n");
            }
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "<td class=\"na\">NaN</td>"
                : (v == 0.0 ? "<td>&lt; 1e-300</td>" : "<td>" + String.format(Locale.ROOT, "%.4g", v) + "</td>");
    }
}
