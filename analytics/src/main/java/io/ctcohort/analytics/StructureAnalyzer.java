package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.stats.Spearman;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The age effects of one structure: for every metric and stratum, Spearman's rho and the OLS age
 * coefficient over the complete cases (age, metric, sex and every covariate present), the same rows
 * for both, as statsmodels' formula API drops missing rows. Multiple-testing corrections need every
 * structure and are applied afterwards ({@link AgeEffects#correct}).
 */
public final class StructureAnalyzer implements Serializable {
    private final StudyOptions options;

    public StructureAnalyzer(StudyOptions options) {
        this.options = options;
    }

    public List<AgeEffect> analyze(String structure, List<Subject> subjects) {
        Metric[] metrics = Metric.values();
        Stratum[] strata = Stratum.values();
        int n = subjects.size();
        double[] age = new double[n];
        double[][] values = new double[metrics.length][n];
        for (int i = 0; i < n; i++) {
            Subject s = subjects.get(i);
            age[i] = s.age();
            for (Metric m : metrics) {
                values[m.ordinal()][i] = s.metric(m);
            }
        }
        // one sort per variable and structure; every stratum's ranks are counted from it
        Spearman.TieGroups ageTies = new Spearman.TieGroups(age);
        Spearman.TieGroups[] valueTies = new Spearman.TieGroups[metrics.length];
        for (Metric m : metrics) {
            valueTies[m.ordinal()] = new Spearman.TieGroups(values[m.ordinal()]);
        }
        AgeEffect[][] effects = new AgeEffect[metrics.length][strata.length];
        for (Stratum stratum : strata) {
            int[][] rows = new int[metrics.length][];
            for (Metric metric : metrics) {
                rows[metric.ordinal()] = completeCases(subjects, values[metric.ordinal()], stratum);
            }
            boolean shared = true; // the usual case: every metric present wherever one is
            for (int[] r : rows) {
                shared &= Arrays.equals(r, rows[0]);
            }
            if (shared) {
                effects(structure, metrics, stratum, subjects, rows[0], age, values, ageTies, valueTies, effects);
            } else {
                for (Metric metric : metrics) {
                    effects(structure, new Metric[] {metric}, stratum, subjects, rows[metric.ordinal()], age, values,
                            ageTies, valueTies, effects);
                }
            }
        }
        List<AgeEffect> out = new ArrayList<>(metrics.length * strata.length);
        for (AgeEffect[] byStratum : effects) {
            out.addAll(List.of(byStratum));
        }
        return out;
    }

    /**
     * Positions of the subjects of the stratum with age, the metric and every covariate present
     * (statsmodels' missing='drop'), in subject order.
     */
    private int[] completeCases(List<Subject> subjects, double[] metric, Stratum stratum) {
        int[] rows = new int[subjects.size()];
        int n = 0;
        for (int i = 0; i < rows.length; i++) {
            Subject s = subjects.get(i);
            if (stratum.includes(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(metric[i])
                    && allFinite(s.covariates())) {
                rows[n++] = i;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    /**
     * The effects of {@code metrics} over the same rows: age ranks, design matrix and its QR
     * decomposition are built once for all of them.
     */
    private void effects(String structure, Metric[] metrics, Stratum stratum, List<Subject> subjects, int[] idx,
                         double[] allAge, double[][] allValues, Spearman.TieGroups ageTies,
                         Spearman.TieGroups[] valueTies, AgeEffect[][] out) {
        int n = idx.length;
        double[] age = new double[n];
        List<Subject> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            age[i] = allAge[idx[i]];
            rows.add(subjects.get(idx[i]));
        }
        double[][] ys = new double[metrics.length][n];
        for (int m = 0; m < metrics.length; m++) {
            double[] all = allValues[metrics[m].ordinal()];
            for (int i = 0; i < n; i++) {
                ys[m][i] = all[idx[i]];
            }
        }
        double[] ageRanks = n < 3 ? null : ageTies.ranks(idx);
        OlsAgeFit.Result[] fits = OlsAgeFit.fit(ys, design(rows, age, stratum));
        for (int m = 0; m < metrics.length; m++) {
            double[] y = ys[m];
            Spearman.Result sp = n < 3 ? Spearman.compute(age, y)
                    : Spearman.fromRanks(ageRanks, valueTies[metrics[m].ordinal()].ranks(idx));
            OlsAgeFit.Result ols = fits[m];
            String reason = joinReasons(sp.reason(), ols.reason());
            out[metrics[m].ordinal()][stratum.ordinal()] = new AgeEffect(structure, metrics[m].column(), stratum.label(),
                    n, sp.rho(), sp.p(), ols.betaAge(), ols.seAge(), ols.tAge(), ols.pAge(), ols.ciLow(), ols.ciHigh(),
                    ols.r2(), ols.intercept(), Double.NaN, Double.NaN, sampleSd(y), reason);
        }
    }

    /** Predictor rows without the intercept: age, [male], [(age - mean)^2], covariates... */
    private double[][] design(List<Subject> rows, double[] age, Stratum stratum) {
        int n = rows.size();
        boolean male = stratum == Stratum.ALL;
        int nCov = options.covariates().size();
        int k = 1 + (male ? 1 : 0) + (options.ageSquared() ? 1 : 0) + nCov;
        double meanAge = 0;
        for (double a : age) {
            meanAge += a / n;
        }
        double[][] x = new double[n][k];
        for (int i = 0; i < n; i++) {
            int j = 0;
            x[i][j++] = age[i];
            if (male) {
                x[i][j++] = "M".equals(rows.get(i).sex()) ? 1.0 : 0.0;
            }
            if (options.ageSquared()) {
                double d = age[i] - meanAge;
                x[i][j++] = d * d;
            }
            double[] cov = rows.get(i).covariates();
            for (int c = 0; c < nCov; c++) {
                x[i][j++] = cov[c];
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
