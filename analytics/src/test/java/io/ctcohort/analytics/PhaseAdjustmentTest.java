package io.ctcohort.analytics;

import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.analytics.local.LocalAgeStudy;
import io.ctcohort.analytics.report.HtmlReport;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeGroupsTable;
import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ExamScoresTable;
import io.ctcohort.core.tables.ReferenceCentilesTable;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contrast phase and biomarkers in the age study, on {@link PhaseCohort} (a phase mix that changes
 * with age, planted slopes and phase shifts): the adjusted slope recovers the planted one while the
 * unadjusted one is off by the amount the omitted phase term predicts; one adjusted OLS against an
 * independent Commons Math fit written here; per-phase rows with stratify; ignore = the numbers of a
 * run without phases; biomarker rows in every table with the right n; both engines identical.
 */
class PhaseAdjustmentTest extends SharedSpark {
    @TempDir
    static Path tmp;
    static Path run;
    static Path noPhaseRun;
    static final List<PhaseCohort.Exam> EXAMS = PhaseCohort.exams();

    @BeforeAll
    static void write() throws Exception {
        run = tmp.resolve("run");
        noPhaseRun = tmp.resolve("run_without_phase");
        PhaseCohort.write(spark, run, true, true);
        PhaseCohort.write(spark, noPhaseRun, false, true);
        PhaseCohort.write(spark, tmp.resolve("run_no_biomarkers"), true, false);
    }

    private static AgeStudy.Result study(Path r, PhaseMode mode) {
        return AgeStudy.run(spark, spark.read().parquet(r.resolve("exams").toString()),
                spark.read().parquet(r.resolve("measurements").toString()),
                spark.read().parquet(r.resolve(BiomarkersTable.NAME).toString()),
                StudyOptions.defaults().withPhase(mode), false);
    }

    private static AgeEffect effect(List<AgeEffect> effects, String structure, String metric, String stratum,
                                    String phase) {
        List<AgeEffect> found = effects.stream().filter(e -> e.structure().equals(structure)
                && e.metric().equals(metric) && e.stratum().equals(stratum) && e.phase().equals(phase)).toList();
        assertEquals(1, found.size(), structure + " " + metric + " " + stratum + " " + phase + ": " + found);
        return found.get(0);
    }

    /** The exams that enter an attenuation fit of stratum all: ok, sex F/M, known phase (and measured). */
    private static List<PhaseCohort.Exam> fitted(Predicate<PhaseCohort.Exam> more) {
        return EXAMS.stream().filter(x -> x.status().equals("ok") && x.known()).filter(more).toList();
    }

    /**
     * The slope of the portal indicator on age in these exams (sex is balanced at every age and phase,
     * so it drops out): by the omitted-variable formula the unadjusted age slope exceeds the adjusted one
     * by (phase shift) x this.
     */
    private static double portalOnAge(List<PhaseCohort.Exam> rows) {
        double ma = 0;
        double mp = 0;
        for (PhaseCohort.Exam x : rows) {
            ma += x.age() / rows.size();
            mp += (x.portal() ? 1 : 0) / (double) rows.size();
        }
        double sap = 0;
        double saa = 0;
        for (PhaseCohort.Exam x : rows) {
            sap += (x.age() - ma) * ((x.portal() ? 1 : 0) - mp);
            saa += (x.age() - ma) * (x.age() - ma);
        }
        return sap / saa;
    }

    @Test
    void adjustRecoversThePlantedSlopeAndUnadjustedIsBiasedByTheKnownAmount() {
        AgeStudy.Result r = study(run, PhaseMode.ADJUST);
        try {
            assertEquals(List.of("native", "portal_venous"), r.phases().known());
            List<PhaseCohort.Exam> rows = fitted(x -> !x.id().equals(PhaseCohort.NOT_MEASURED));
            AgeEffect t = effect(r.effects(), "vertebrae_L1", "trabecular_hu", "all", "all");
            assertEquals(PhasePlan.ADJUSTED, t.phaseAdjustment());
            assertEquals(rows.size(), t.n(), "unknown-phase, failed and unmeasured exams left out");
            double bias = PhaseCohort.TRABECULAR_CONTRAST * portalOnAge(rows);
            System.out.printf("trabecular_hu: adjusted %.4f [%.4f, %.4f], unadjusted %.4f [%.4f, %.4f], "
                            + "predicted bias %.4f, planted %.2f%n", t.betaAge(), t.ciLow(), t.ciHigh(),
                    t.betaAgeUnadjusted(), t.ciLowUnadjusted(), t.ciHighUnadjusted(), bias, PhaseCohort.TRABECULAR_SLOPE);
            assertTrue(bias > 0.2, "the fixture confounds: bias " + bias);
            assertTrue(t.ciLow() < PhaseCohort.TRABECULAR_SLOPE && PhaseCohort.TRABECULAR_SLOPE < t.ciHigh(),
                    "adjusted CI covers the planted slope: " + t);
            assertEquals(PhaseCohort.TRABECULAR_SLOPE, t.betaAge(), 0.03);
            assertEquals(bias, t.betaAgeUnadjusted() - t.betaAge(), 0.03, "unadjusted off by shift x slope of phase on age");
            assertTrue(t.ciLowUnadjusted() > PhaseCohort.TRABECULAR_SLOPE, "unadjusted CI misses the truth: " + t);

            List<PhaseCohort.Exam> liverRows = fitted(x -> true);
            AgeEffect l = effect(r.effects(), "liver", "hu_mean", "all", "all");
            double liverBias = PhaseCohort.LIVER_CONTRAST * portalOnAge(liverRows);
            System.out.printf("liver hu_mean: adjusted %.4f [%.4f, %.4f], unadjusted %.4f [%.4f, %.4f], "
                            + "predicted bias %.4f, planted %.2f%n", l.betaAge(), l.ciLow(), l.ciHigh(),
                    l.betaAgeUnadjusted(), l.ciLowUnadjusted(), l.ciHighUnadjusted(), liverBias, PhaseCohort.LIVER_SLOPE);
            assertEquals(liverRows.size(), l.n());
            assertEquals(PhaseCohort.LIVER_SLOPE, l.betaAge(), 0.03);
            assertEquals(liverBias, l.betaAgeUnadjusted() - l.betaAge(), 0.03);
            assertTrue(l.betaAgeUnadjusted() > 0, "contrast turns the planted loss into a gain: " + l);

            // not attenuation: no phase treatment, every ok exam
            long ok = EXAMS.stream().filter(x -> x.status().equals("ok")).count();
            for (String[] k : List.of(new String[] {"liver", "volume_ml"}, new String[] {"aorta", "aortic_calcium_agatston"})) {
                AgeEffect v = effect(r.effects(), k[0], k[1], "all", "all");
                assertEquals(PhasePlan.NONE, v.phaseAdjustment());
                assertEquals(ok, v.n());
                assertTrue(Double.isNaN(v.betaAgeUnadjusted()));
            }
            for (String stratum : List.of("F", "M")) {
                AgeEffect s = effect(r.effects(), "vertebrae_L1", "trabecular_hu", stratum, "all");
                assertEquals(PhasePlan.ADJUSTED, s.phaseAdjustment());
                assertTrue(s.ciLow() < PhaseCohort.TRABECULAR_SLOPE && PhaseCohort.TRABECULAR_SLOPE < s.ciHigh(), s.toString());
            }
        } finally {
            r.release();
        }
    }

    /** trabecular_hu ~ age + male + portal, by Commons Math OLS with its own columns and t quantiles. */
    @Test
    void adjustedOlsEqualsAnIndependentFit() {
        AgeStudy.Result r = study(run, PhaseMode.ADJUST);
        try {
            AgeEffect t = effect(r.effects(), "vertebrae_L1", "trabecular_hu", "all", "all");
            List<PhaseCohort.Exam> rows = new ArrayList<>(fitted(x -> !x.id().equals(PhaseCohort.NOT_MEASURED)));
            double[] y = new double[rows.size()];
            double[][] x = new double[rows.size()][];
            double[][] x0 = new double[rows.size()][];
            for (int i = 0; i < y.length; i++) {
                PhaseCohort.Exam e = rows.get(rows.size() - 1 - i); // another order than the study's
                y[i] = e.trabecular();
                x[i] = new double[] {e.portal() ? 1 : 0, e.sex().equals("M") ? 1 : 0, e.age()};
                x0[i] = new double[] {e.sex().equals("M") ? 1 : 0, e.age()};
            }
            double[] adj = fit(y, x, 3);
            double[] unadj = fit(y, x0, 2);
            assertRel(adj[0], t.betaAge(), "beta");
            assertRel(adj[1], t.seAge(), "se");
            assertRel(adj[2], t.ciLow(), "ci_low");
            assertRel(adj[3], t.ciHigh(), "ci_high");
            assertRel(adj[4], t.r2(), "r2");
            assertRel(adj[5], t.intercept(), "intercept (reference level native)");
            assertRel(unadj[0], t.betaAgeUnadjusted(), "unadjusted beta");
            assertRel(unadj[1], t.seAgeUnadjusted(), "unadjusted se");
            assertRel(unadj[2], t.ciLowUnadjusted(), "unadjusted ci_low");
            assertRel(unadj[3], t.ciHighUnadjusted(), "unadjusted ci_high");
        } finally {
            r.release();
        }
    }

    /** beta, se, ci_low, ci_high of the last column (age), R^2, intercept. */
    private static double[] fit(double[] y, double[][] x, int ageColumn) {
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        ols.newSampleData(y, x);
        double[] b = ols.estimateRegressionParameters();
        double[] se = ols.estimateRegressionParametersStandardErrors();
        double q = new TDistribution(y.length - x[0].length - 1).inverseCumulativeProbability(0.975);
        return new double[] {b[ageColumn], se[ageColumn], b[ageColumn] - q * se[ageColumn],
                b[ageColumn] + q * se[ageColumn], ols.calculateRSquared(), b[0]};
    }

    private static void assertRel(double want, double got, String what) {
        assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), what);
    }

    @Test
    void stratifyGivesOneRowPerPhaseAndStratum() {
        AgeStudy.Result r = study(run, PhaseMode.STRATIFY);
        try {
            List<AgeEffect> t = r.effects().stream().filter(e -> e.metric().equals("trabecular_hu")).toList();
            assertEquals(6, t.size(), "3 strata x 2 phases, no pooled row: " + t);
            for (AgeEffect e : t) {
                assertEquals(PhasePlan.STRATIFIED, e.phaseAdjustment());
                long n = fitted(x -> !x.id().equals(PhaseCohort.NOT_MEASURED) && x.phase().equals(e.phase())
                        && (e.stratum().equals("all") || x.sex().equals(e.stratum()))).size();
                assertEquals(n, e.n(), e.toString());
                assertTrue(e.ciLow() < PhaseCohort.TRABECULAR_SLOPE && PhaseCohort.TRABECULAR_SLOPE < e.ciHigh(),
                        "within a phase there is nothing to confound: " + e);
            }
            assertEquals(List.of("native", "portal_venous"), t.stream().filter(e -> e.stratum().equals("all"))
                    .map(AgeEffect::phase).toList());
            assertEquals(PhasePlan.NONE, effect(r.effects(), "liver", "volume_ml", "all", "all").phaseAdjustment());
        } finally {
            r.release();
        }
    }

    @Test
    void ignoreGivesTheNumbersOfARunWithoutPhases() {
        AgeStudy.Result ignored = study(run, PhaseMode.IGNORE);
        AgeStudy.Result before = study(noPhaseRun, PhaseMode.ADJUST);
        try {
            assertTrue(before.phases().known().isEmpty());
            assertEquals(before.effects().size(), ignored.effects().size());
            for (int i = 0; i < before.effects().size(); i++) {
                AgeEffect a = before.effects().get(i);
                AgeEffect b = ignored.effects().get(i);
                assertEquals(PhasePlan.NONE, a.phaseAdjustment());
                assertEquals(ContrastPhases.isAttenuation(a.metric()) ? PhasePlan.IGNORED : PhasePlan.NONE,
                        b.phaseAdjustment(), b.toString());
                assertEquals(a, b.withPhase(a.phase(), PhasePlan.NONE, null), "same numbers, bit for bit");
            }
            assertEquals(before.ageGroups(), ignored.ageGroups());
            AgeEffect t = effect(ignored.effects(), "vertebrae_L1", "trabecular_hu", "all", "all");
            assertTrue(t.ciLow() > PhaseCohort.TRABECULAR_SLOPE, "ignoring phase gives the biased slope: " + t);
        } finally {
            ignored.release();
            before.release();
        }
    }

    @Test
    void bothEnginesAgreeOnBiomarkersAndPhase() throws Exception {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        for (PhaseMode mode : PhaseMode.values()) {
            AgeStudy.Result s = study(run, mode);
            try {
                LocalAgeStudy.Result l = LocalAgeStudy.run(conf, new org.apache.hadoop.fs.Path(run.resolve("exams").toString()),
                        new org.apache.hadoop.fs.Path(run.resolve("measurements").toString()),
                        new org.apache.hadoop.fs.Path(run.resolve(BiomarkersTable.NAME).toString()),
                        StudyOptions.defaults().withPhase(mode), false);
                assertEquals(s.phases(), l.phases());
                assertEquals(s.qc().removed(), l.removed());
                assertEquals(s.qc().biomarkers().total(), l.biomarkerTotal());
                assertEquals(s.qc().biomarkers().removed(), l.biomarkerRemoved());
                assertEquals(s.effects(), l.effects(), mode + ": effects identical, bit for bit");
                assertEquals(s.ageGroups(), l.ageGroups(), mode + ": age groups identical");
                assertTrue(l.effects().stream().anyMatch(e -> e.metric().equals("trabecular_hu")));
            } finally {
                s.release();
            }
        }
    }

    /**
     * The local engine's memory plan counts the biomarker rows beside the measurements: a heap that
     * holds the measurements and exams alone but not the biomarkers too is refused.
     */
    @Test
    void localPlanCountsBiomarkerRows() {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        OutputLayout.Run r = OutputLayout.resolve(run.toString(), conf);
        long exams = EXAMS.size();
        LocalAgeStudy.Plan roomy = LocalAgeStudy.plan(conf, r, Long.MAX_VALUE / 4);
        assertEquals(exams, roomy.measurementRows()); // one liver row per exam
        assertEquals(2 * exams, roomy.biomarkerRows()); // trabecular_hu and agatston per exam
        assertEquals(exams, roomy.examRows());
        assertTrue(roomy.fits() && roomy.reason().contains((2 * exams) + " biomarker rows"), roomy.reason());

        long need = LocalAgeStudy.bytesNeeded(exams, 2 * exams, exams);
        assertTrue(LocalAgeStudy.bytesNeeded(exams, 0, exams) < need - 1);
        long justShort = (long) Math.ceil((need - 1) / LocalAgeStudy.HEAP_SHARE); // budget below need
        assertFalse(LocalAgeStudy.plan(conf, r, justShort).fits(), "the biomarkers do not fit in this heap");
        assertTrue(LocalAgeStudy.plan(conf, r, (long) Math.ceil(need / LocalAgeStudy.HEAP_SHARE)).fits());

        LocalAgeStudy.Plan without = LocalAgeStudy.plan(conf, OutputLayout.resolve(tmp.resolve("run_no_biomarkers")
                .toString(), conf), Long.MAX_VALUE / 4);
        assertEquals(0, without.biomarkerRows(), "a run without a biomarkers table");
        assertEquals(exams, without.measurementRows());
    }

    /** The command line: --phase stratify on the local engine, said on stdout, per-phase rows in the table. */
    @Test
    void phaseOptionOfTheCommand() throws Exception {
        Path tables = tmp.resolve("cli_tables");
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new picocli.CommandLine(new io.ctcohort.analytics.cli.AnalyzeCommand()).execute("--in", run.toString(),
                    "--tables-out", tables.toString(), "--no-centiles", "--engine", "local", "--phase", "stratify");
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, rc, text);
        assertTrue(text.contains("engine: local (") && text.contains("contrast phase: attenuation metrics fitted per phase"
                + " (native, portal_venous)") && text.contains("biomarkers: QC kept " + (2 * EXAMS.size() - 3)), text);
        Dataset<Row> effects = spark.read().parquet(tables.resolve(AgeEffectsTable.NAME).toString());
        assertEquals(6, effects.filter("metric = 'trabecular_hu' AND phase_adjustment = 'stratified'").count());
        assertEquals(6, effects.filter("metric = 'hu_mean' AND phase IN ('native', 'portal_venous')").count());
    }

    /** analyze end to end: biomarker rows in age_effects, age_groups, reference_centiles, exam_scores, qc.csv, report. */
    @Test
    void biomarkersReachEveryTableWithTheirN() throws Exception {
        Path report = tmp.resolve("report");
        CentileOptions centiles = new CentileOptions(true, CentileOptions.DEFAULT_CENTILES, 4, 20,
                CentileOptions.DEFAULT_GRID_STEP, 0);
        AnalyzeJob.Summary summary = AnalyzeJob.run(spark, run.toString(), null, report, StudyOptions.defaults(), centiles);
        assertFalse(summary.ageEffects().isEmpty());
        Dataset<Row> effects = spark.read().parquet(run.resolve(AgeEffectsTable.NAME).toString());
        assertEquals(3, effects.filter("structure = 'vertebrae_L1' AND metric = 'trabecular_hu' AND phase = 'all'"
                + " AND phase_adjustment = 'adjusted' AND NOT isnan(beta_age_unadjusted)").count());
        assertEquals(3, effects.filter("structure = 'aorta' AND metric = 'aortic_calcium_agatston'"
                + " AND phase_adjustment = 'none'").count());

        long measured = EXAMS.stream().filter(x -> x.status().equals("ok") && !x.id().equals(PhaseCohort.NOT_MEASURED))
                .count();
        Dataset<Row> groups = spark.read().parquet(run.resolve(AgeGroupsTable.NAME).toString());
        Row decades = groups.filter("structure = 'vertebrae_L1' AND metric = 'trabecular_hu' AND sex = 'all'"
                + " AND grouping = 'decade'").selectExpr("sum(n)", "count(*)").first();
        assertEquals(measured, decades.getLong(0), "age groups pool every phase");
        assertEquals(7, decades.getLong(1), "20-29 .. 80-89");

        Dataset<Row> ref = spark.read().parquet(run.resolve(ReferenceCentilesTable.NAME).toString());
        Dataset<Row> scores = spark.read().parquet(run.resolve(ExamScoresTable.NAME).toString());
        for (String sex : List.of("F", "M")) {
            long nativeN = EXAMS.stream().filter(x -> x.status().equals("ok") && x.sex().equals(sex)
                    && x.phase().equals("native") && !x.id().equals(PhaseCohort.NOT_MEASURED)).count();
            Row t = ref.filter("structure = 'vertebrae_L1' AND metric = 'trabecular_hu' AND sex = '" + sex + "'")
                    .selectExpr("min(n)", "max(n)", "count(value)").first();
            assertEquals(nativeN, t.getLong(0), "trabecular centiles from native exams only");
            assertEquals(nativeN, t.getLong(1));
            assertTrue(t.getLong(2) > 0, "curves fitted");
            assertEquals(nativeN, scores.filter("metric = 'trabecular_hu' AND sex = '" + sex + "'").count());
            long all = EXAMS.stream().filter(x -> x.status().equals("ok") && x.sex().equals(sex)).count();
            assertEquals(all, scores.filter("metric = 'aortic_calcium_agatston' AND sex = '" + sex + "'").count(),
                    "calcium centiles from every phase");
        }
        // women's native median at 60 lies near the planted native mean, 220 - 2.5 x 60
        double median60 = ref.filter("metric = 'trabecular_hu' AND sex = 'F' AND age = 60 AND centile = 50")
                .first().getAs("value");
        assertEquals(220 + PhaseCohort.TRABECULAR_SLOPE * 60, median60, 4.0);

        String qc = Files.readString(report.resolve(AnalyzeJob.QC_CSV), StandardCharsets.UTF_8);
        assertTrue(qc.contains("biomarkers:exam_not_ok,2") && qc.contains("biomarkers:no_value,1")
                && qc.contains("biomarkers:rows_read," + 2 * EXAMS.size()), qc);
        String html = Files.readString(report.resolve(HtmlReport.INDEX), StandardCharsets.UTF_8);
        assertTrue(html.contains("Contrast phase: adjusted beside unadjusted") && html.contains(HtmlReport.PHASE_FOREST),
                "the report shows adjusted beside unadjusted");
        List<String> images = ReportFiles.assertImagesArePngs(report.resolve(HtmlReport.INDEX), 2_000);
        assertTrue(images.stream().anyMatch(i -> i.endsWith(HtmlReport.PHASE_FOREST)), images.toString());
        assertTrue(images.stream().anyMatch(i -> i.endsWith("forest_trabecular_hu.png")), images.toString());
        assertNotEquals(0, summary.qcTotal());
    }
}
