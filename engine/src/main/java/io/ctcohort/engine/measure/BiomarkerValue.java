package io.ctcohort.engine.measure;

import java.io.Serializable;
import java.util.Objects;

/**
 * One row of the {@code biomarkers} table (exam_id and model_id come from the exam): a biomarker at
 * a site, or a null value with the reason it could not be measured.
 *
 * @param biomarker e.g. {@code trabecular_hu}
 * @param site      the structure it is measured at, e.g. {@code vertebrae_L1}
 * @param value     null when it could not be measured
 * @param unit      e.g. {@code HU}, {@code cm2}, {@code mm3}
 * @param reason    why {@code value} is null (null when it is not)
 */
public record BiomarkerValue(String biomarker, String site, Double value, String unit, String reason)
        implements Serializable {
    public BiomarkerValue {
        Objects.requireNonNull(biomarker, "biomarker");
        Objects.requireNonNull(site, "site");
        if ((value == null || !Double.isFinite(value)) && reason == null) {
            throw new IllegalArgumentException(biomarker + " at " + site + ": a missing value needs a reason");
        }
        if (value != null && !Double.isFinite(value)) {
            value = null;
        }
    }

    public static BiomarkerValue of(String biomarker, String site, double value, String unit) {
        return new BiomarkerValue(biomarker, site, value, unit, null);
    }

    public static BiomarkerValue missing(String biomarker, String site, String unit, String reason) {
        return new BiomarkerValue(biomarker, site, null, unit, reason);
    }
}
