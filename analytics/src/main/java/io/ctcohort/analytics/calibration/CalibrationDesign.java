package io.ctcohort.analytics.calibration;

import io.ctcohort.analytics.AgeEffect;
import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.validation.ValidationExam;
import io.ctcohort.analytics.validation.ValidationPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which validation pairs calibrate an age_effects row, and on what: the pairs of its structure and
 * metric, of its phase where the row is one phase's stratum, and (conditional model) of exams with
 * the row's design complete, with their design rows: age, male (sex M = 1, where both sexes are
 * present), the study's covariates, and, for a phase-adjusted row, one indicator per known phase
 * present but the first. The sex strata share the pooled fit with the male term: its age coefficient
 * is the within-sex one where the error's dependence on age is the same in both sexes.
 */
public final class CalibrationDesign {
    private CalibrationDesign() {
    }

    /** The rows one calibration fit serves: the same for every sex stratum. */
    public record Key(String structure, String metric, String phase, boolean phaseAdjusted) {
        public static Key of(AgeEffect e) {
            return new Key(e.structure(), e.metric(), e.phase(), PhasePlan.ADJUSTED.equals(e.phaseAdjustment()));
        }
    }

    /**
     * The calibration fit of {@code key} over {@code pairs} (its structure and metric), or one that
     * is not estimable with a reason.
     *
     * @param exams       the validation exams' designs by exam_id (the conditional model needs them)
     * @param cohortAgeSd the sample SD of the cohort's ages (NaN: not checked)
     */
    public static CalibrationFit fit(Key key, List<ValidationPair> pairs, Map<String, ValidationExam> exams,
                                     int nCovariates, double cohortAgeSd, CalibrationOptions options) {
        return fit(data(key, pairs, exams, nCovariates, options), cohortAgeSd, options);
    }

    /** The fit of {@code data}, refused where its ages spread too little against the cohort's. */
    public static CalibrationFit fit(CalibrationData data, double cohortAgeSd, CalibrationOptions options) {
        CalibrationFit fit = data.fit();
        if (data.covariates() == null || !fit.estimable() || !Double.isFinite(cohortAgeSd)) {
            return fit;
        }
        double[] age = new double[data.n()];
        for (int i = 0; i < age.length; i++) {
            age[i] = data.covariates()[i][0];
        }
        double sd = sampleSd(age);
        if (sd < options.minAgeSdRatio() * cohortAgeSd) {
            return new CalibrationFit(fit.n(), fit.slope(), fit.slopeSe(), fit.intercept(), fit.interceptSe(),
                    fit.ageCoefficient(), fit.ageSe(), fit.slopeAgeCovariance(), fit.parameters(),
                    String.format(Locale.ROOT, "validation exams' age SD %.3g y below %s x the cohort's %.3g y: the "
                            + "calibration's age term would be extrapolated", sd, options.minAgeSdRatio(), cohortAgeSd));
        }
        return fit;
    }

    /** The pairs and design rows that calibrate {@code key}. */
    public static CalibrationData data(Key key, List<ValidationPair> pairs, Map<String, ValidationExam> exams,
                                       int nCovariates, CalibrationOptions options) {
        boolean onePhase = !PhasePlan.ALL_PHASES.equals(key.phase());
        if (options.model() == CalibrationModel.REFERENCE_ONLY) {
            List<ValidationPair> used = new ArrayList<>();
            for (ValidationPair p : pairs) {
                ValidationExam e = exams.get(p.examId());
                if (!onePhase || (e != null && key.phase().equals(e.phase()))) {
                    used.add(p);
                }
            }
            double[][] v = columns(used);
            return new CalibrationData(v[0], v[1], null);
        }
        List<ValidationPair> used = new ArrayList<>();
        List<ValidationExam> design = new ArrayList<>();
        boolean female = false;
        boolean male = false;
        List<String> phases = new ArrayList<>();
        for (ValidationPair p : pairs) {
            ValidationExam e = exams.get(p.examId());
            if (e == null || !Double.isFinite(e.age()) || !("F".equals(e.sex()) || "M".equals(e.sex()))
                    || !allFinite(e.covariates(), nCovariates)) {
                continue;
            }
            if (onePhase ? !key.phase().equals(e.phase()) : key.phaseAdjusted() && e.phase() == null) {
                continue;
            }
            used.add(p);
            design.add(e);
            female |= "F".equals(e.sex());
            male |= "M".equals(e.sex());
            if (key.phaseAdjusted() && !phases.contains(e.phase())) {
                phases.add(e.phase());
            }
        }
        phases.sort(java.util.Comparator.comparingInt(io.ctcohort.analytics.ContrastPhases.KNOWN::indexOf));
        List<String> dummies = phases.isEmpty() ? List.of() : phases.subList(1, phases.size());
        boolean sexTerm = female && male;
        int k = 1 + (sexTerm ? 1 : 0) + nCovariates + dummies.size();
        double[][] x = new double[used.size()][k];
        for (int i = 0; i < used.size(); i++) {
            ValidationExam e = design.get(i);
            int j = 0;
            x[i][j++] = e.age();
            if (sexTerm) {
                x[i][j++] = "M".equals(e.sex()) ? 1 : 0;
            }
            for (int c = 0; c < nCovariates; c++) {
                x[i][j++] = e.covariates()[c];
            }
            for (String d : dummies) {
                x[i][j++] = d.equals(e.phase()) ? 1 : 0;
            }
        }
        double[][] v = columns(used);
        return new CalibrationData(v[0], v[1], x);
    }

    private static double[][] columns(List<ValidationPair> pairs) {
        return io.ctcohort.analytics.validation.ValidationSet.columns(pairs);
    }

    private static boolean allFinite(double[] v, int n) {
        if (v == null || v.length < n) {
            return n == 0;
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(v[i])) {
                return false;
            }
        }
        return true;
    }

    static double sampleSd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = 0;
        for (double d : v) {
            m += d / v.length;
        }
        double ss = 0;
        for (double d : v) {
            ss += (d - m) * (d - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }
}
