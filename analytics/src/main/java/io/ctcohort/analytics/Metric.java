package io.ctcohort.analytics;

/** The measured quantities the study regresses on age, named as their columns in {@code measurements}. */
public enum Metric {
    VOLUME_ML("volume_ml"),
    HU_MEAN("hu_mean");

    private final String column;

    Metric(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }
}
