package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.OlsAgeFit;
import io.ctcohort.analytics.stats.Spearman;

import java.io.Serializable;
import java.util.ArrayList;
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
        AgeEffect[][] effects = new AgeEffect[metrics.length][strata.length];
        for (Stratum stratum : strata) {
            List<List<Subject>> rows = new ArrayList<>();
            for (Metric metric : metrics) {
                rows.add(completeCases(subjects, metric, stratum));
            }
            boolean shared = true; // the usual case: every metric present wherever one is
            for (List<Subject> r : rows) {
                shared &= sameSubjects(r, rows.get(0));
            }
            if (shared) {
                effects(structure, metrics, stratum, rows.get(0), effects);
            } else {
                for (Metric metric : metrics) {
                    effects(structure, new Metric[] {metric}, stratum, rows.get(metric.ordinal()), effects);
                }
            }
        }
        List<AgeEffect> out = new ArrayList<>(metrics.length * strata.length);
        for (AgeEffect[] byStratum : effects) {
            out.addAll(List.of(byStratum));
        }
        return out;
    }

    /** The subjects of the stratum with age, the metric and every covariate present (statsmodels' missing='drop'). */
    private List<Subject> completeCases(List<Subject> subjects, Metric metric, Stratum stratum) {
        List<Subject> rows = new ArrayList<>();
        for (Subject s : subjects) {
            if (stratum.includes(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(s.metric(metric))
                    && allFinite(s.covariates())) {
                rows.add(s);
            }
        }
        return rows;
    }

    private static boolean sameSubjects(List<Subject> a, List<Subject> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The effects of {@code metrics} over the same rows: age ranks, design matrix and its QR
     * decomposition are built once for all of them.
     */
    private void effects(String structure, Metric[] metrics, Stratum stratum, List<Subject> rows, AgeEffect[][] out) {
        int n = rows.size();
        double[] age = new double[n];
        for (int i = 0; i < n; i++) {
            age[i] = rows.get(i).age();
        }
        double[][] ys = new double[metrics.length][n];
        for (int m = 0; m < metrics.length; m++) {
            for (int i = 0; i < n; i++) {
                ys[m][i] = rows.get(i).metric(metrics[m]);
            }
        }
        double[] ageRanks = n < 3 ? null : Spearman.ranks(age);
        OlsAgeFit.Result[] fits = OlsAgeFit.fit(ys, design(rows, age, stratum));
        for (int m = 0; m < metrics.length; m++) {
            double[] y = ys[m];
            Spearman.Result sp = n < 3 ? Spearman.compute(age, y) : Spearman.fromRanks(ageRanks, Spearman.ranks(y));
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
