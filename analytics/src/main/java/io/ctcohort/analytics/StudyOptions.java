package io.ctcohort.analytics;

import io.ctcohort.analytics.calibration.CalibrationOptions;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the study fits beyond the fixed design.
 *
 * @param covariates    extra numeric manifest ({@code exams}) columns added to every OLS model
 * @param ageSquared    add (age - mean age of the stratum)^2; beta_age is then the slope at the mean age
 * @param minVolumeMl   QC: per-structure minimum plausible volume in ml (empty map: rule off)
 * @param modelId       analyse only this model_id (needed when the tables hold several models)
 * @param borderExempt  QC: structures the touches_border rule does not apply to, e.g. ones that run
 *                      through every scan by anatomy (aorta, autochthon in abdominal CT), which the
 *                      rule would remove from every exam
 * @param phase         how attenuation metrics treat the contrast phase when the exams hold more than
 *                      one known phase ({@link PhasePlan}); default adjust
 * @param calibration   when a run's validation exams calibrate an age effect, and what validation_summary
 *                      flags ({@link CalibrationOptions}); default {@link CalibrationOptions#defaults()}
 */
public record StudyOptions(List<String> covariates, boolean ageSquared, Map<String, Double> minVolumeMl,
                           String modelId, Set<String> borderExempt, PhaseMode phase,
                           CalibrationOptions calibration) implements Serializable {

    public static StudyOptions defaults() {
        return new StudyOptions(List.of(), false, Map.of(), null);
    }

    public StudyOptions {
        covariates = List.copyOf(covariates);
        minVolumeMl = Map.copyOf(minVolumeMl);
        borderExempt = Set.copyOf(borderExempt);
        java.util.Objects.requireNonNull(phase, "phase");
        java.util.Objects.requireNonNull(calibration, "calibration");
    }

    /** The default calibration. */
    public StudyOptions(List<String> covariates, boolean ageSquared, Map<String, Double> minVolumeMl, String modelId,
                        Set<String> borderExempt, PhaseMode phase) {
        this(covariates, ageSquared, minVolumeMl, modelId, borderExempt, phase, CalibrationOptions.defaults());
    }

    /** The border rule applies to every structure; phase adjusted. */
    public StudyOptions(List<String> covariates, boolean ageSquared, Map<String, Double> minVolumeMl, String modelId) {
        this(covariates, ageSquared, minVolumeMl, modelId, Set.of(), PhaseMode.ADJUST);
    }

    public StudyOptions withBorderExempt(Collection<String> structures) {
        return new StudyOptions(covariates, ageSquared, minVolumeMl, modelId, Set.copyOf(structures), phase, calibration);
    }

    public StudyOptions withPhase(PhaseMode mode) {
        return new StudyOptions(covariates, ageSquared, minVolumeMl, modelId, borderExempt, mode, calibration);
    }

    public StudyOptions withCalibration(CalibrationOptions options) {
        return new StudyOptions(covariates, ageSquared, minVolumeMl, modelId, borderExempt, phase, options);
    }
}
