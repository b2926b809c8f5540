package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.validation.ExamValidation;
import io.ctcohort.engine.validation.StructureAgreement;
import java.io.Serializable;
import java.util.List;

/**
 * An exam's validation against its reference label map as it is staged (the engine's
 * {@link ExamValidation}): per structure both sides as {@link Measurement}s (NaN as null, as the
 * measurements table holds them) and the voxels the masks share; or, where the reference could not
 * be compared, the error. The {@code validation} table's rows are made from it ({@code ResultRows}).
 */
public record ValidationResult(List<Agreement> structures, String errorClass, String errorMessage)
        implements Serializable {
    public ValidationResult {
        structures = structures == null ? List.of() : List.copyOf(structures);
    }

    /** One structure: the model's and the reference's measurement, and their overlap in voxels. */
    public record Agreement(Measurement model, Measurement reference, long overlapVoxels) implements Serializable {
        /** {@link StructureAgreement#dice()}: {@code 2|A∩B| / (|A| + |B|)}, null when neither mask holds the structure. */
        public Double dice() {
            long s = model.voxelCount() + reference.voxelCount();
            return s == 0 ? null : 2.0 * overlapVoxels / s;
        }
    }

    public static ValidationResult of(ExamValidation v) {
        return new ValidationResult(v.structures().stream()
                .map(a -> new Agreement(Measurement.of(a.model()), Measurement.of(a.reference()), a.overlapVoxels()))
                .toList(), v.errorClass(), v.errorMessage());
    }

    public boolean ok() {
        return errorClass == null;
    }
}
