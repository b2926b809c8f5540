package io.ctcohort.engine.validation;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.ValidationTable;
import io.ctcohort.engine.stats.StructureStatistics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structure of one validated exam: the model's and the reference's statistics of it (both from
 * {@code StatisticsCalculator}, on the same CT) and the voxels the two masks share.
 */
public record StructureAgreement(String structure, int label, StructureStatistics model,
                                 StructureStatistics reference, long overlapVoxels) {

    /** Dice {@code 2|A∩B| / (|A| + |B|)}; NaN when neither mask holds the structure. */
    public double dice() {
        long s = model.voxelCount() + reference.voxelCount();
        return s == 0 ? Double.NaN : 2.0 * overlapVoxels / s;
    }

    /**
     * The {@code validation} row's values by column name, without exam_id, status and model_id (the
     * writer adds those); a missing value (NaN) is null.
     */
    public Map<String, Object> columns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(Columns.STRUCTURE, structure);
        c.put(MeasurementsTable.LABEL, (long) label);
        c.put(ValidationTable.DICE, orNull(dice()));
        c.put(MeasurementsTable.VOXEL_COUNT, model.voxelCount());
        c.put(ValidationTable.VOXEL_COUNT_REFERENCE, reference.voxelCount());
        c.put(ValidationTable.OVERLAP_VOXELS, overlapVoxels);
        put(c, MeasurementsTable.VOLUME_ML, model.volumeMl(), reference.volumeMl());
        put(c, MeasurementsTable.HU_MEAN, model.huMean(), reference.huMean());
        put(c, MeasurementsTable.HU_STD, model.huStd(), reference.huStd());
        put(c, MeasurementsTable.HU_MEDIAN, model.huMedian(), reference.huMedian());
        put(c, MeasurementsTable.HU_P05, model.huP05(), reference.huP05());
        put(c, MeasurementsTable.HU_P95, model.huP95(), reference.huP95());
        c.put(MeasurementsTable.TOUCHES_BORDER, model.touchesBorder());
        c.put(ValidationTable.TOUCHES_BORDER_REFERENCE, reference.touchesBorder());
        return c;
    }

    private static void put(Map<String, Object> c, String metric, double model, double reference) {
        c.put(metric, orNull(model));
        c.put(metric + ValidationTable.REFERENCE_SUFFIX, orNull(reference)); // constants only: no Spark class loads
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
