package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.stats.Spearman;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The age effects of one structure or biomarker ({@link MetricGroup}): for every metric and stratum,
 * Spearman's rho and the OLS age coefficient over the complete cases (age, metric, sex and every
 * covariate present), the same rows for both, as statsmodels' formula API drops missing rows; for
 * attenuation metrics of a mixed-phase cohort, phase adjusted or stratified ({@link PhasePlan}).
 * Multiple-testing corrections need every structure and are applied afterwards ({@link AgeEffects#correct}).
 */
public final class StructureAnalyzer implements Serializable {
    private final StudyOptions options;

    public StructureAnalyzer(StudyOptions options) {
        this.options = options;
    }

    /** A measured structure's effects (volume_ml, hu_mean), without phase treatment. */
    public List<AgeEffect> analyze(String structure, List<Subject> subjects) {
        return analyze(MetricGroup.measured(structure), subjects, PhasePlan.none());
    }

    /**
     * The group's effects, metric by metric and stratum by stratum. Metrics the plan leaves alone are
     * fitted as always (those sharing their rows with one design and one QR); attenuation metrics of a
     * mixed-phase cohort are adjusted or stratified ({@link #phaseEffects}).
     */
    public List<AgeEffect> analyze(MetricGroup group, List<Subject> subjects, PhasePlan plan) {
        String structure = group.structure();
        int nm = group.metrics().size();
        Stratum[] strata = Stratum.values();
        int n = subjects.size();
        double[] age = new double[n];
        double[][] values = new double[nm][n];
        for (int i = 0; i < n; i++) {
            Subject s = subjects.get(i);
            age[i] = s.age();
            for (int m = 0; m < nm; m++) {
                values[m][i] = s.value(m);
            }
        }
        List<Integer> plain = new ArrayList<>();
        List<Integer> phased = new ArrayList<>();
        for (int m = 0; m < nm; m++) {
            PhaseMode mode = plan.modeFor(group.metrics().get(m));
            (mode == PhaseMode.ADJUST || mode == PhaseMode.STRATIFY ? phased : plain).add(m);
        }
        // one sort per variable and structure; every stratum's ranks are counted from it
        Spearman.TieGroups ageTies = new Spearman.TieGroups(age);
        Spearman.TieGroups[] valueTies = new Spearman.TieGroups[nm];
        for (int m = 0; m < nm; m++) {
            valueTies[m] = new Spearman.TieGroups(values[m]);
        }
        Fits fits = new Fits(structure, group.metrics(), subjects, age, values, ageTies, valueTies);
        AgeEffect[][] effects = new AgeEffect[nm][strata.length];
        int[] plainMetrics = plain.stream().mapToInt(Integer::intValue).toArray();
        for (Stratum stratum : strata) {
            int[][] rows = new int[nm][];
            for (int m : plainMetrics) {
                rows[m] = completeCases(subjects, values[m], stratum, null);
            }
            boolean shared = true; // the usual case: every metric present wherever one is
            for (int m : plainMetrics) {
                shared &= Arrays.equals(rows[m], rows[plainMetrics[0]]);
            }
            if (shared && plainMetrics.length > 0) {
                fits.effects(plainMetrics, stratum, rows[plainMetrics[0]], design(subjects, rows[plainMetrics[0]], age,
                        stratum, List.of()), effects);
            } else {
                for (int m : plainMetrics) {
                    fits.effects(new int[] {m}, stratum, rows[m], design(subjects, rows[m], age, stratum, List.of()),
                            effects);
                }
            }
        }
        List<AgeEffect> out = new ArrayList<>(nm * strata.length);
        for (int m = 0; m < nm; m++) {
            String label = plan.label(group.metrics().get(m));
            for (AgeEffect e : effects[m]) {
                if (e != null) {
                    out.add(label.equals(PhasePlan.NONE) ? e : e.withPhase(PhasePlan.ALL_PHASES, label, null));
                }
            }
        }
        for (int m : phased) {
            out.addAll(phaseEffects(fits, m, plan, subjects, age, values[m]));
        }
        return out;
    }

    /**
     * An attenuation metric of a mixed-phase cohort: exams of unknown phase are left out. ADJUST: one
     * row per stratum, the age effect with phase indicators in the model (reference: the first known
     * phase present in the rows, native when there is any), beside the same model without them over
     * the same exams. STRATIFY: one row per stratum and known phase of the cohort.
     */
    private List<AgeEffect> phaseEffects(Fits fits, int m, PhasePlan plan, List<Subject> subjects, double[] age,
                                         double[] metric) {
        List<AgeEffect> out = new ArrayList<>();
        AgeEffect[][] one = new AgeEffect[fits.metrics.size()][Stratum.values().length];
        for (Stratum stratum : Stratum.values()) {
            if (plan.modeFor(fits.metrics.get(m)) == PhaseMode.ADJUST) {
                int[] rows = completeCases(subjects, metric, stratum, plan.known());
                List<String> present = new ArrayList<>();
                for (String p : plan.known()) {
                    for (int i : rows) {
                        if (p.equals(subjects.get(i).phase())) {
                            present.add(p);
                            break;
                        }
                    }
                }
                List<String> dummies = present.isEmpty() ? List.of() : present.subList(1, present.size());
                fits.effects(new int[] {m}, stratum, rows, design(subjects, rows, age, stratum, dummies), one);
                double[] y = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    y[i] = metric[rows[i]];
                }
                OlsAgeFit.Result unadjusted = OlsAgeFit.fit(y, design(subjects, rows, age, stratum, List.of()));
                out.add(one[m][stratum.ordinal()].withPhase(PhasePlan.ALL_PHASES, PhasePlan.ADJUSTED, unadjusted));
            } else {
                for (String phase : plan.known()) {
                    int[] rows = completeCases(subjects, metric, stratum, List.of(phase));
                    fits.effects(new int[] {m}, stratum, rows, design(subjects, rows, age, stratum, List.of()), one);
                    out.add(one[m][stratum.ordinal()].withPhase(phase, PhasePlan.STRATIFIED, null));
                }
            }
        }
        return out;
    }

    /**
     * Positions of the subjects of the stratum with age, the metric and every covariate present
     * (statsmodels' missing='drop'), in subject order; with {@code phases}, only exams of those phases.
     */
    private int[] completeCases(List<Subject> subjects, double[] metric, Stratum stratum, List<String> phases) {
        int[] rows = new int[subjects.size()];
        int n = 0;
        for (int i = 0; i < rows.length; i++) {
            Subject s = subjects.get(i);
            if (stratum.includes(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(metric[i])
                    && allFinite(s.covariates())
                    && (phases == null || (s.phase() != null && phases.contains(s.phase())))) {
                rows[n++] = i;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    /** One group's data and sort orders, shared by its fits. */
    private record Fits(String structure, List<String> metrics, List<Subject> subjects, double[] allAge,
                        double[][] allValues, Spearman.TieGroups ageTies, Spearman.TieGroups[] valueTies) {
        /**
         * The effects of {@code metrics} over the same rows and design: age ranks and the design's QR
         * decomposition are computed once for all of them.
         */
        void effects(int[] metricIdx, Stratum stratum, int[] idx, double[][] design, AgeEffect[][] out) {
            int n = idx.length;
            double[] age = new double[n];
            for (int i = 0; i < n; i++) {
                age[i] = allAge[idx[i]];
            }
            double[][] ys = new double[metricIdx.length][n];
            for (int m = 0; m < metricIdx.length; m++) {
                double[] all = allValues[metricIdx[m]];
                for (int i = 0; i < n; i++) {
                    ys[m][i] = all[idx[i]];
                }
            }
            double[] ageRanks = n < 3 ? null : ageTies.ranks(idx);
            OlsAgeFit.Result[] fits = OlsAgeFit.fit(ys, design);
            for (int m = 0; m < metricIdx.length; m++) {
                double[] y = ys[m];
                Spearman.Result sp = n < 3 ? Spearman.compute(age, y)
                        : Spearman.fromRanks(ageRanks, valueTies[metricIdx[m]].ranks(idx));
                OlsAgeFit.Result ols = fits[m];
                String reason = joinReasons(sp.reason(), ols.reason());
                out[metricIdx[m]][stratum.ordinal()] = new AgeEffect(structure, metrics.get(metricIdx[m]),
                        stratum.label(), n, sp.rho(), sp.p(), ols.betaAge(), ols.seAge(), ols.tAge(), ols.pAge(),
                        ols.ciLow(), ols.ciHigh(), ols.r2(), ols.intercept(), Double.NaN, Double.NaN, sampleSd(y),
                        reason);
            }
        }
    }

    /**
     * Predictor rows without the intercept: age, [male], [(age - mean)^2], covariates..., then one
     * indicator per phase in {@code phaseDummies}.
     */
    private double[][] design(List<Subject> subjects, int[] idx, double[] allAge, Stratum stratum,
                              List<String> phaseDummies) {
        int n = idx.length;
        boolean male = stratum == Stratum.ALL;
        int nCov = options.covariates().size();
        int k = 1 + (male ? 1 : 0) + (options.ageSquared() ? 1 : 0) + nCov + phaseDummies.size();
        double meanAge = 0;
        for (int i : idx) {
            meanAge += allAge[i] / n;
        }
        double[][] x = new double[n][k];
        for (int r = 0; r < n; r++) {
            Subject s = subjects.get(idx[r]);
            double age = allAge[idx[r]];
            int j = 0;
            x[r][j++] = age;
            if (male) {
                x[r][j++] = "M".equals(s.sex()) ? 1.0 : 0.0;
            }
            if (options.ageSquared()) {
                double d = age - meanAge;
                x[r][j++] = d * d;
            }
            double[] cov = s.covariates();
            for (int c = 0; c < nCov; c++) {
                x[r][j++] = cov[c];
            }
            for (String p : phaseDummies) {
                x[r][j++] = p.equals(s.phase()) ? 1.0 : 0.0;
            }
        }
        return x;
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double sampleSd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (double d : v) {
            mean += d;
        }
        mean /= v.length;
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    private static String joinReasons(String spearman, String ols) {
        if (spearman == null && ols == null) {
            return null;
        }
        if (spearman == null) {
            return "ols: " + ols;
        }
        if (ols == null) {
            return "spearman: " + spearman;
        }
        return spearman.equals(ols) ? ols : "spearman: " + spearman + "; ols: " + ols;
    }
}
