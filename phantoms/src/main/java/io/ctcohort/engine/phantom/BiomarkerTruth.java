package io.ctcohort.engine.phantom;

/**
 * The planted truth of one opportunistic biomarker in one exam, counted on the phantom's own tissue
 * map and noise-free image: named as the {@code biomarkers} table names it ({@code biomarker},
 * {@code site}, {@code unit}). See docs/DESIGN.md "Phantoms" for what each counts.
 */
public record BiomarkerTruth(String biomarker, String site, double value, String unit) {
    public static final String TRABECULAR_HU = "trabecular_hu";
    public static final String LIVER_HU = "liver_hu", SPLEEN_HU = "spleen_hu";
    public static final String LIVER_SPLEEN_DIFFERENCE_HU = "liver_spleen_difference_hu";
    public static final String LIVER_FAT_FRACTION = "liver_fat_fraction";
    public static final String AORTIC_CALCIUM_VOLUME_MM3 = "aortic_calcium_volume_mm3", AORTIC_PLAQUES = "aortic_plaques";
    public static final String MUSCLE_AREA_CM2 = "muscle_area_cm2", MUSCLE_HU = "muscle_hu";
    public static final String SAT_AREA_CM2 = "sat_area_cm2", VAT_AREA_CM2 = "vat_area_cm2";
}
