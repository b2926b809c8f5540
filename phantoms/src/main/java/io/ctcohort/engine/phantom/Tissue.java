package io.ctcohort.engine.phantom;

/**
 * What a phantom voxel is made of, painted beside its label: the tissue map from which the truth
 * of the opportunistic biomarkers (body composition at L3, trabecular cores, aortic calcium) is
 * counted. {@code OTHER} is every other soft tissue (organs, bowel, vessels, discs, CSF).
 */
enum Tissue {
    NONE, SUBCUTANEOUS_FAT, VISCERAL_FAT, MUSCLE, CORTICAL_BONE, TRABECULAR_BONE, MIXED_BONE, CALCIUM, OTHER;

    byte code() {
        return (byte) ordinal();
    }

    static Tissue of(byte code) {
        return values()[code];
    }
}
