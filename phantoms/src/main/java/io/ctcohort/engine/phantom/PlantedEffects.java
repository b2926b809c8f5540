package io.ctcohort.engine.phantom;

import io.ctcohort.engine.measure.ContrastPhase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The age effects the phantom generator plants, one per structure and metric, derived from
 * {@link AnatomySampler}'s constants: what a study of a phantom cohort should recover.
 *
 * <p>Sizes are nominal, as the generator defines them: volumes change by {@code perYear} percent
 * of their age-50 value per year ({@code VOLUME_ML}); attenuation by {@code perYear} HU per year
 * ({@code HU_MEAN}, the cancellous core for bones, whose labels also hold cortical bone at
 * {@link AnatomySampler#CORTICAL_HU_PER_YEAR}; women's bones lose another 1.2 HU/year after 50).
 * A regression on the measured mean of a whole label therefore estimates a mixture of these, which
 * is why a study compares its estimate with the same model fitted on the true label maps.
 *
 * <p>Contrast confounds every attenuation effect: each exam is native, arterial or portal venous,
 * older exams more often native ({@link #nativeProbability}), and contrast raises the trabecular core
 * of every bone ({@link #trabecularEnhancementHu}), so an age slope fitted without the phase is more
 * negative than the planted one. {@link #BIOMARKERS} lists the planted biomarker effects.
 */
public final class PlantedEffects {
    /** The metric an effect acts on, named as the measurements column. */
    public enum Metric {
        VOLUME_ML("%/year"),
        HU_MEAN("HU/year");

        private final String unit;

        Metric(String unit) {
            this.unit = unit;
        }

        /** The measurements column: the name in lower case ({@code volume_ml}, {@code hu_mean}). */
        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Unit of {@link PlantedEffect#perYear}. */
        public String unit() {
            return unit;
        }
    }

    /**
     * One planted effect.
     *
     * @param perYear             nominal size per year of age, in {@code metric.unit()}
     * @param description         how the generator plants it
     * @param crossesFieldOfView  the structure runs beyond every phantom's field of view by
     *                            construction (aorta and autochthon span z = -400..400 mm), so it
     *                            touches the volume border in every exam and its volume is the
     *                            part inside the scan
     */
    public record PlantedEffect(String structure, Metric metric, double perYear, String description,
                                boolean crossesFieldOfView) {
        /** -1 or +1. */
        public int sign() {
            return perYear < 0 ? -1 : 1;
        }
    }

    /**
     * A planted age effect on an opportunistic biomarker, named as the {@code biomarkers} table names
     * it; {@code perYear} is in {@code unit} per year, on native exams.
     */
    public record PlantedBiomarkerEffect(String biomarker, String site, double perYear, String unit,
                                         String description) {
    }

    /** Every planted age effect, in label order of {@link PhantomStructures}. */
    public static final List<PlantedEffect> ALL;

    /** The planted biomarker age effects: trabecular HU of L1-L5 and (none) liver HU. */
    public static final List<PlantedBiomarkerEffect> BIOMARKERS;

    static {
        List<PlantedEffect> l = new ArrayList<>();
        for (String side : List.of("right", "left")) {
            l.add(volume("kidney_" + side, AnatomySampler.KIDNEY_VOLUME_PER_YEAR, "volume x (1 + k (age - 50))", false));
        }
        l.add(volume("pancreas", AnatomySampler.PANCREAS_VOLUME_PER_YEAR, "volume x (1 + k (age - 50))", false));
        for (int level = 5; level >= 1; level--) {
            l.add(hu("vertebrae_L" + level, AnatomySampler.VERTEBRA_CANCELLOUS_HU_PER_YEAR,
                    "trabecular core from age 18; one-voxel cortical shell " + AnatomySampler.CORTICAL_HU_PER_YEAR
                            + " HU/year; women -1.2 HU/year more after 50; the whole-label mean mixes core, shell"
                            + " and posterior elements, and the core's contrast enhancement with the age-dependent"
                            + " phase mix makes it fall faster", false));
        }
        // Volume ~ radius^2: (1 + k (age - 50))^2 ~ 1 + 2k (age - 50).
        l.add(volume("aorta", 2 * AnatomySampler.AORTA_RADIUS_PER_YEAR,
                "radius x (1 + " + AnatomySampler.AORTA_RADIUS_PER_YEAR + " (age - 50)), so the cross-section grows 2k", true));
        for (String side : List.of("left", "right")) {
            l.add(hu("hip_" + side, AnatomySampler.HIP_CANCELLOUS_HU_PER_YEAR,
                    "cancellous core from age 18; cortical shell " + AnatomySampler.CORTICAL_HU_PER_YEAR
                            + " HU/year; women -1.2 HU/year more after 50; contrast raises the core as the"
                            + " vertebrae's", false));
        }
        for (String side : List.of("left", "right")) {
            l.add(hu("autochthon_" + side, AnatomySampler.AUTOCHTHON_HU_PER_YEAR, "muscle HU from age 18", true));
        }
        for (String side : List.of("left", "right")) {
            l.add(volume("iliopsoas_" + side, AnatomySampler.ILIOPSOAS_VOLUME_PER_YEAR, "volume x (1 + k (age - 50))", false));
        }
        ALL = Collections.unmodifiableList(l);

        List<PlantedBiomarkerEffect> b = new ArrayList<>();
        for (int level = 1; level <= 5; level++) {
            b.add(new PlantedBiomarkerEffect(BiomarkerTruth.TRABECULAR_HU, "vertebrae_L" + level,
                    AnatomySampler.VERTEBRA_CANCELLOUS_HU_PER_YEAR, "HU",
                    "native core " + AnatomySampler.VERTEBRA_CORE_HU_AT_18 + " HU at 18 (SD "
                            + AnatomySampler.VERTEBRA_CORE_SD + "); women -1.2 HU/year more after 50; contrast adds "
                            + ContrastEnhancement.ARTERIAL.trabecular() + " (arterial) or "
                            + ContrastEnhancement.PORTAL_VENOUS.trabecular() + " (portal venous) HU"));
        }
        b.add(new PlantedBiomarkerEffect(BiomarkerTruth.LIVER_HU, "liver", 0.0, "HU",
                "none: liver fat does not depend on age; contrast adds " + ContrastEnhancement.ARTERIAL.liver()
                        + " (arterial) or " + ContrastEnhancement.PORTAL_VENOUS.liver() + " (portal venous) HU"));
        BIOMARKERS = Collections.unmodifiableList(b);
    }

    /** The planted phase mix: the probability that an exam at {@code age} is native. */
    public static double nativeProbability(double age) {
        return ContrastEnhancement.nativeProbability(age);
    }

    /** The planted probability that a contrast exam is arterial (else portal venous). */
    public static double arterialShareOfContrast() {
        return ContrastEnhancement.ARTERIAL_SHARE_OF_CONTRAST;
    }

    /** HU that a phase adds to trabecular bone, before the exam's bolus factor (mean 1). */
    public static double trabecularEnhancementHu(ContrastPhase phase) {
        return ContrastEnhancement.of(phase).trabecular();
    }

    private static PlantedEffect volume(String structure, double fractionPerYear, String how, boolean crosses) {
        return new PlantedEffect(structure, Metric.VOLUME_ML, 100 * fractionPerYear, how, crosses);
    }

    private static PlantedEffect hu(String structure, double huPerYear, String how, boolean crosses) {
        return new PlantedEffect(structure, Metric.HU_MEAN, huPerYear, how, crosses);
    }

    /** Structures that cross every phantom's field of view (see {@link PlantedEffect#crossesFieldOfView}). */
    public static List<String> structuresCrossingFieldOfView() {
        List<String> out = new ArrayList<>();
        for (String s : PhantomStructures.LABELS.values()) {
            if (ALL.stream().anyMatch(e -> e.structure().equals(s) && e.crossesFieldOfView())) {
                out.add(s);
            }
        }
        return out;
    }

    private PlantedEffects() {
    }
}
