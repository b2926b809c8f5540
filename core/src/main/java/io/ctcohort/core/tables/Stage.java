package io.ctcohort.core.tables;

/** The stages of segmenting one exam, in pipeline order; each has an exams column {@code <stage>_ms}. */
public enum Stage {
    READ, REORIENT, RESAMPLE, NORMALIZE, INFER, RESTORE, STATS, TOTAL;

    /** The stage's name as the engine and the tables spell it ({@code read}, ..., {@code total}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Its wall-time column in the exams table. */
    public String column() {
        return label() + "_ms";
    }
}
