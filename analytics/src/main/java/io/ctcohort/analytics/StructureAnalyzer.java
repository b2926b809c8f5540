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
        List<AgeEffect> out = new ArrayList<>(Metric.values().length * Stratum.values().length);
        for (Metric metric : Metric.values()) {
            for (Stratum stratum : Stratum.values()) {
                out.add(effect(structure, metric, stratum, subjects));
            }
        }
        return out;
    }

    private AgeEffect effect(String structure, Metric metric, Stratum stratum, List<Subject> subjects) {
        List<Subject> rows = new ArrayList<>();
        for (Subject s : subjects) {
            if (stratum.includes(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(s.metric(metric))
                    && allFinite(s.covariates())) {
                rows.add(s);
            }
        }
        int n = rows.size();
        double[] y = new double[n];
        double[] age = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rows.get(i).metric(metric);
            age[i] = rows.get(i).age();
        }
        Spearman.Result sp = Spearman.compute(age, y);
        OlsAgeFit.Result ols = OlsAgeFit.fit(y, design(rows, age, stratum));
        String reason = joinReasons(sp.reason(), ols.reason());
        return new AgeEffect(structure, metric.column(), stratum.label(), n, sp.rho(), sp.p(),
                ols.betaAge(), ols.seAge(), ols.tAge(), ols.pAge(), ols.ciLow(), ols.ciHigh(), ols.r2(),
                ols.intercept(), Double.NaN, Double.NaN, sampleSd(y), reason);
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
