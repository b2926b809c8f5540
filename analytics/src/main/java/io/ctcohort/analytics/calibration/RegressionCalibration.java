package io.ctcohort.analytics.calibration;

import io.ctcohort.analytics.stats.OlsAgeFit;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Regression calibration of an age effect measured through a segmentation model (error in a
 * continuous outcome; Carroll, Ruppert, Stefanski and Crainiceanu 2006, ch. 15; Keogh et al. 2020,
 * on systematic and differential error in a continuous outcome). The validation exams fit
 * {@code model = a + b x reference + c x age + d' z + error} ({@link CalibrationFit}, z the study's
 * other covariates of the row; c = 0 for the reference-only model). Then
 * {@code E[model | age, z] = a + b E[reference | age, z] + c age + d' z}, so the study's slope on age is
 * {@code beta_model = b x beta + c} and the corrected slope is {@code beta = (beta_model - c) / b}.
 *
 * <p>The interval is the delta method with gradient {@code (1/b, -1/b, -beta/b)} in
 * {@code (beta_model, c, b)}: {@code Var = [var(beta_model) + var(c) + beta^2 var(b) + 2 beta cov(b, c)] / b^2},
 * beta_model taken as independent of (b, c), with Student's t on the Welch-Satterthwaite degrees of
 * freedom of the study's term (its n - k) and the calibration's (n_validation - parameters). The
 * validation exams are usually part of the cohort; their share of beta_model correlates it positively
 * with c, so leaving the covariance out widens the interval a little (docs/DESIGN.md, with coverage
 * measured by simulation with the validation exams inside the cohort).
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
     * @param validation the calibration fit over the validation exams of this structure and metric (and, with
     *                   {@link CalibrationModel#CONDITIONAL}, the row's covariates)
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
        double beta = (study.betaAge() - validation.ageCoefficient()) / b;
        double vStudy = study.seAge() * study.seAge() / (b * b);
        double vCalibration = (validation.ageSe() * validation.ageSe()
                + beta * beta * validation.slopeSe() * validation.slopeSe()
                + 2 * beta * validation.slopeAgeCovariance()) / (b * b);
        double v = vStudy + vCalibration;
        double se = Math.sqrt(v);
        double df = satterthwaite(vStudy, studyDf, vCalibration, validation.df());
        // not StudentT.quantile: it remembers every df, and a Satterthwaite df is a new real number each time
        double q = new TDistribution(null, df, 1e-15).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        return new CalibratedEffect(beta, se, df, beta - q * se, beta + q * se, b, n, null);
    }

    /**
     * As {@link #calibrate(OlsAgeFit.Result, double, CalibrationFit)}, the interval a percentile bootstrap
     * ({@link BootstrapCalibration}) over {@code draws}, the calibration refitted on resamples of its
     * validation exams; se is the SD of the bootstrap draws and df NaN. The same refusals apply first.
     *
     * @param seed the seed of the study-side draws
     */
    public CalibratedEffect calibrate(OlsAgeFit.Result study, double studyDf, CalibrationFit validation,
                                      BootstrapCalibration.Draws draws, long seed) {
        CalibratedEffect delta = calibrate(study, studyDf, validation);
        if (!delta.calibrated()) {
            return delta;
        }
        if (!draws.usable()) {
            return CalibratedEffect.notCalibrated(delta.calibrationSlope(), delta.nValidation(), "bootstrap: "
                    + draws.failed() + " of " + draws.replicates() + " resamples of the validation exams not "
                    + "estimable (more than " + Math.round(100 * BootstrapCalibration.MAX_FAILED) + " %)");
        }
        double[] ci = BootstrapCalibration.interval(study.betaAge(), study.seAge(), studyDf, draws, CONFIDENCE, seed);
        return new CalibratedEffect(delta.beta(), ci[2], Double.NaN, ci[0], ci[1], delta.calibrationSlope(),
                delta.nValidation(), null);
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
