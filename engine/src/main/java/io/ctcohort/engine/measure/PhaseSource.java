package io.ctcohort.engine.measure;

import java.util.Locale;

/** Where an exam's contrast phase came from ({@code exams.contrast_phase_source}). */
public enum PhaseSource {
    /** The manifest's {@code contrast_phase} column: it wins over everything else. */
    MANIFEST,
    /** The DICOM header (ContrastBolusAgent / ContrastBolusRoute), recorded by the catalog. */
    DICOM,
    /** Estimated from the HU of the segmented vessels and organs. */
    ESTIMATED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
