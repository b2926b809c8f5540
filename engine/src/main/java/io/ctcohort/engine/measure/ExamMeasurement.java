package io.ctcohort.engine.measure;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.List;

/**
 * Everything the engine measures in one exam: the one result type from the engine to the table
 * rows. {@code structures} become {@code measurements} rows, {@code biomarkers} the
 * {@code biomarkers} rows, and {@code phase} the exam's contrast phase columns.
 */
public record ExamMeasurement(Geometry geometry, List<StructureStatistics> structures, PhaseCall phase,
                              List<BiomarkerValue> biomarkers) {
    public ExamMeasurement {
        structures = List.copyOf(structures);
        biomarkers = List.copyOf(biomarkers);
    }
}
