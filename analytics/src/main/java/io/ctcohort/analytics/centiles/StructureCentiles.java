package io.ctcohort.analytics.centiles;

import io.ctcohort.analytics.MetricGroup;
import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.Stratum;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the centile pass computes for one structure, on the executor that holds its rows: per
 * metric and sex the curves and every exam's score; with {@code --age-spline} the F tests per metric and
 * stratum.
 *
 * @param groups     metric x sex (F, M), empty when centiles are off
 * @param ageSplines metric x stratum (all, F, M), empty when --age-spline is off
 */
public record StructureCentiles(String structure, int splineDf, List<Group> groups, List<AgeSplineFit> ageSplines,
                                boolean biomarker) implements Serializable {
    static final List<String> SEXES = List.of("F", "M");

    /**
     * One exam's values of this group after QC, as the centile pass reads them: its metrics in the
     * group's order, and its known contrast phase (null when not known).
     */
    public record Exam(String examId, double age, String sex, double[] values, double[] covariates, String phase)
            implements Serializable {
        double metric(int m) {
            return values[m];
        }
    }

    /** Curves of one metric in one sex and the scores of its exams (ranks and z NaN without curves). */
    public record Group(String metric, String sex, CentileCurves curves, String[] examIds, double[] ages,
                        double[] values, double[] ranks, double[] z) implements Serializable {
    }

    /**
     * The group's curves, scores and F tests. Attenuation metrics of a cohort whose phase is adjusted
     * or stratified ({@link PhasePlan#inCentiles}) are fitted on native-phase exams only: a reference
     * for unenhanced CT, the exams of other phases get no score.
     */
    public static StructureCentiles compute(MetricGroup group, List<Exam> exams, CentileOptions options,
                                            PhasePlan phases) {
        String structure = group.structure();
        List<Group> groups = new ArrayList<>();
        if (options.enabled()) {
            for (int metric = 0; metric < group.metrics().size(); metric++) {
                for (String sex : SEXES) {
                    groups.add(group(group.metrics().get(metric), metric, sex, exams, options, phases));
                }
            }
        }
        List<AgeSplineFit> splines = new ArrayList<>();
        if (options.ageSplineDf() > 0) {
            for (int metric = 0; metric < group.metrics().size(); metric++) {
                for (Stratum stratum : Stratum.values()) {
                    splines.add(ageSpline(structure, group.metrics().get(metric), metric, stratum, exams,
                            options.ageSplineDf(), phases));
                }
            }
        }
        return new StructureCentiles(structure, options.splineDf(), groups, splines, group.biomarker());
    }

    private static Group group(String name, int metric, String sex, List<Exam> exams, CentileOptions options,
                               PhasePlan phases) {
        List<Exam> rows = new ArrayList<>();
        for (Exam e : exams) {
            if (sex.equals(e.sex()) && Double.isFinite(e.age()) && Double.isFinite(e.metric(metric))
                    && phases.inCentiles(name, e.phase())) {
                rows.add(e);
            }
        }
        int n = rows.size();
        String[] ids = new String[n];
        double[] ages = new double[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rows.get(i).examId();
            ages[i] = rows.get(i).age();
            values[i] = rows.get(i).metric(metric);
        }
        CentileCurves curves = CentileCurves.fit(ages, values, options);
        double[] ranks = new double[n];
        double[] z = new double[n];
        if (curves.fitted()) {
            Map<Double, double[]> byAge = new HashMap<>(); // ages are mostly whole years: one sort per age
            for (int i = 0; i < n; i++) {
                double[] q = byAge.computeIfAbsent(ages[i], curves::quantiles);
                CentileCurves.Score s = curves.score(q, values[i]);
                ranks[i] = s.centileRank();
                z[i] = s.z();
            }
        } else {
            java.util.Arrays.fill(ranks, Double.NaN);
            java.util.Arrays.fill(z, Double.NaN);
        }
        return new Group(name, sex, curves, ids, ages, values, ranks, z);
    }

    private static AgeSplineFit ageSpline(String structure, String name, int metric, Stratum stratum, List<Exam> exams,
                                          int df, PhasePlan phases) {
        List<Exam> rows = new ArrayList<>();
        for (Exam e : exams) {
            if (stratum.includes(e.sex()) && Double.isFinite(e.age()) && Double.isFinite(e.metric(metric))
                    && allFinite(e.covariates()) && phases.inCentiles(name, e.phase())) {
                rows.add(e);
            }
        }
        int n = rows.size();
        double[] age = new double[n];
        double[] y = new double[n];
        double[] male = stratum == Stratum.ALL ? new double[n] : null;
        double[][] cov = new double[n][];
        for (int i = 0; i < n; i++) {
            Exam e = rows.get(i);
            age[i] = e.age();
            y[i] = e.metric(metric);
            if (male != null) {
                male[i] = "M".equals(e.sex()) ? 1 : 0;
            }
            cov[i] = e.covariates();
        }
        return AgeSplineFit.fit(structure, name, stratum.label(), age, y, male, cov, df);
    }

    private static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    /** What the report draws for this structure (small: curves at whole years, no exams). */
    public CentileChart chart() {
        List<CentileChart.Panel> panels = new ArrayList<>();
        for (Group g : groups) {
            CentileCurves c = g.curves();
            double[] meanAge = new double[0];
            double[] meanValue = new double[0];
            double p = Double.NaN;
            for (AgeSplineFit f : ageSplines) {
                if (f.metric().equals(g.metric()) && f.stratum().equals(g.sex())) {
                    meanAge = f.curveAge();
                    meanValue = f.curveValue();
                    p = f.pNonlinear();
                }
            }
            if (!c.fitted()) {
                panels.add(new CentileChart.Panel(g.metric(), g.sex(), c.n(), c.reason(), c.centiles(), new double[0],
                        new double[0][], meanAge, meanValue, p));
                continue;
            }
            int[] grid = c.ageGrid();
            double[] ages = new double[grid.length];
            double[][] values = new double[c.centiles().length][grid.length];
            for (int k = 0; k < grid.length; k++) {
                ages[k] = grid[k];
                double[] v = c.centileValues(grid[k]);
                for (int j = 0; j < v.length; j++) {
                    values[j][k] = v[j];
                }
            }
            panels.add(new CentileChart.Panel(g.metric(), g.sex(), c.n(), null, c.centiles(), ages, values, meanAge,
                    meanValue, p));
        }
        if (groups.isEmpty()) { // --age-spline without centiles: the mean curves alone
            for (AgeSplineFit f : ageSplines) {
                if (!f.stratum().equals(Stratum.ALL.label())) {
                    panels.add(new CentileChart.Panel(f.metric(), f.stratum(), f.n(), f.reason(), new double[0],
                            new double[0], new double[0][], f.curveAge(), f.curveValue(), f.pNonlinear()));
                }
            }
        }
        return new CentileChart(structure, panels);
    }
}
