package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.BiomarkerValue;

/**
 * A biomarker as the {@code biomarkers} table names it, with its unit: declared once, so that a value
 * and a null of the same biomarker cannot disagree on either.
 */
record Biomarker(String name, String unit) {
    BiomarkerValue at(String site, double value) {
        return BiomarkerValue.of(name, site, value, unit);
    }

    BiomarkerValue missing(String site, String reason) {
        return BiomarkerValue.missing(name, site, unit, reason);
    }
}
