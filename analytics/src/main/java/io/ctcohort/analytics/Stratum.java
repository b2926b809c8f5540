package io.ctcohort.analytics;

/**
 * A subgroup the study is fitted in. {@code all} adjusts for sex (male = 1 for sex M); F and M fit
 * age alone. Subjects need a sex of F or M to enter any stratum (the {@code all} model uses it).
 */
public enum Stratum {
    ALL("all"),
    F("F"),
    M("M");

    private final String label;

    Stratum(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean includes(String sex) {
        return switch (this) {
            case ALL -> "F".equals(sex) || "M".equals(sex);
            case F -> "F".equals(sex);
            case M -> "M".equals(sex);
        };
    }
}
