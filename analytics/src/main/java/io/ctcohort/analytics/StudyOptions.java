package io.ctcohort.analytics;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What the study fits beyond the fixed design.
 *
 * @param covariates    extra numeric manifest ({@code exams}) columns added to every OLS model
 * @param ageSquared    add (age - mean age of the stratum)^2; beta_age is then the slope at the mean age
 * @param minVolumeMl   QC: per-structure minimum plausible volume in ml (empty map: rule off)
 * @param modelId       analyse only this model_id (needed when the tables hold several models)
 */
public record StudyOptions(List<String> covariates, boolean ageSquared, Map<String, Double> minVolumeMl,
                           String modelId) implements Serializable {

    public static StudyOptions defaults() {
        return new StudyOptions(List.of(), false, Map.of(), null);
    }

    public StudyOptions {
        covariates = List.copyOf(covariates);
        minVolumeMl = Map.copyOf(minVolumeMl);
    }
}
