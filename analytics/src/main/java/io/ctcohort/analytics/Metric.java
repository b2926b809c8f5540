package io.ctcohort.analytics;

import io.ctcohort.core.tables.MeasurementsTable;

/** The measured quantities the study regresses on age, named as their columns in {@code measurements}. */
public enum Metric {
    VOLUME_ML(MeasurementsTable.VOLUME_ML),
    HU_MEAN(MeasurementsTable.HU_MEAN);

    private final String column;

    Metric(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }
}
