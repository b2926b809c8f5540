package io.ctcohort.analytics.calibration;

import io.ctcohort.analytics.stats.OlsAgeFit;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Regression calibration of an age effect measured through a segmentation model (error in the
 * response; Carroll, Ruppert, Stefanski and Crainiceanu 2006, ch. 15; Keogh et al. 2020). The model's
 * metric is {@code a + b x reference + error} with the error independent of age given the reference,
 * so the study's slope on age is {@code b x beta} and the corrected slope is {@code beta_age / b}.
 *
 * <p>The interval is the delta method for a ratio of two independent estimates (the study's beta from
 * the whole cohort, b from the validation exams): {@code Var(beta/b) = var(beta)/b^2 + beta^2 var(b)/b^4},
 * with Student's t on the Welch-Satterthwaite degrees of freedom of the two variance terms (the study's
 * n - k and the validation's n - 2). Independence is an assumption: the validation exams are usually
 * part of the cohort, which correlates the two estimates a little; the coverage measured by simulation
 * with the validation exams inside the cohort is in docs/DESIGN.md.
 */
public final class RegressionCalibration {
    private static final double CONFIDENCE = 0.95;

    private final CalibrationOptions options;

    public RegressionCalibration(CalibrationOptions options) {
        this.options = options;
    }

    /**
     * @param study      the study's OLS age fit of the model's metric
     * @param studyDf    its residual degrees of freedom (n - number of parameters)
     * @param validation the model-on-reference fit over the validation exams of this structure and metric
     */
    public CalibratedEffect calibrate(OlsAgeFit.Result study, double studyDf, CalibrationFit validation) {
        double b = validation.slope();
        long n = validation.n();
        if (n < options.minValidationExams()) {
            return CalibratedEffect.notCalibrated(b, n, "n_validation=" + n + " < " + options.minValidationExams()
                    + " validation exams");
        }
        if (!validation.estimable()) {
            return CalibratedEffect.notCalibrated(b, n, "calibration: " + validation.reason());
        }
        double[] ci = validation.slopeInterval();
        if (!(b >= options.minSlope()) || !(ci[0] > 0)) {
            return CalibratedEffect.notCalibrated(b, n, String.format(Locale.ROOT,
                    "calibration slope %.3g [95%% CI %.3g, %.3g] not clearly non-zero (needs CI above 0 and slope >= %s)",
                    b, ci[0], ci[1], options.minSlope()));
        }
        if (!Double.isFinite(study.betaAge()) || !Double.isFinite(study.seAge()) || !(studyDf > 0)) {
            return CalibratedEffect.notCalibrated(b, n, "no age fit to calibrate"
                    + (study.reason() == null ? "" : ": " + study.reason()));
        }
        double beta = study.betaAge() / b;
        double vStudy = study.seAge() * study.seAge() / (b * b);
        double vSlope = beta * beta * validation.slopeSe() * validation.slopeSe() / (b * b);
        double v = vStudy + vSlope;
        double se = Math.sqrt(v);
        double df = satterthwaite(vStudy, studyDf, vSlope, validation.df());
        // not StudentT.quantile: it remembers every df, and a Satterthwaite df is a new real number each time
        double q = new TDistribution(null, df, 1e-15).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        return new CalibratedEffect(beta, se, df, beta - q * se, beta + q * se, b, n, null);
    }

    /** Welch-Satterthwaite degrees of freedom of a sum of two independent variance estimates. */
    static double satterthwaite(double v1, double df1, double v2, double df2) {
        double s = v1 + v2;
        if (!(s > 0)) {
            return df1;
        }
        return s * s / (v1 * v1 / df1 + v2 * v2 / df2);
    }
}
