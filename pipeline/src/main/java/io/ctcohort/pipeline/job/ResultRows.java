package io.ctcohort.pipeline.job;

import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.core.tables.Stage;
import io.ctcohort.core.tables.Status;
import io.ctcohort.core.tables.ValidationTable;
import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.Measurement;
import io.ctcohort.pipeline.exam.ValidationResult;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * One exam's result as rows of {@link ExamsTable#RESULT_KEYED}, {@link MeasurementsTable#SCHEMA},
 * {@link BiomarkersTable#SCHEMA} and {@link ValidationTable#SCHEMA}
 * (docs/DESIGN.md "Tables"), each value set by its column's name so the order cannot drift from the schema.
 */
public final class ResultRows {
    private static final String[] DIMS = {ExamsTable.DIM_X, ExamsTable.DIM_Y, ExamsTable.DIM_Z};
    private static final String[] SPACINGS = {ExamsTable.SPACING_X, ExamsTable.SPACING_Y, ExamsTable.SPACING_Z};

    private ResultRows() {
    }

    public static Row examRow(ExamResult r) {
        RowBuilder row = new RowBuilder(ExamsTable.RESULT_KEYED)
                .set(Columns.EXAM_ID, r.examId())
                .set(ExamsTable.INPUT_FINGERPRINT, r.fingerprint())
                .set(Columns.STATUS, r.status())
                .set(ExamsTable.ERROR_CLASS, r.errorClass())
                .set(ExamsTable.ERROR_MESSAGE, r.errorMessage());
        for (int i = 0; i < 3; i++) {
            row.set(DIMS[i], r.dims() == null ? null : r.dims()[i]);
            row.set(SPACINGS[i], r.spacing() == null ? null : r.spacing()[i]);
        }
        Map<String, Long> stages = r.stageMillis() == null ? Map.of() : r.stageMillis();
        for (Stage stage : Stage.values()) {
            row.set(stage.column(), stages.get(stage.label()));
        }
        return row.set(ExamsTable.DEVICE, r.device())
                .set(Columns.MODEL_ID, r.modelId())
                .set(ExamsTable.MODEL_SHA256, r.modelSha256())
                .set(ExamsTable.PIPELINE_VERSION, r.pipelineVersion())
                .set(ExamsTable.PROCESSED_AT, new Timestamp(r.processedAtMillis()))
                .set(ExamsTable.CONTRAST_PHASE, r.phase() == null ? null : r.phase().phase().value())
                .set(ExamsTable.CONTRAST_PHASE_SOURCE, r.phase() == null ? null : r.phase().source().value())
                .row();
    }

    /** One row per biomarker x site; none for a failed exam. */
    public static List<Row> biomarkerRows(ExamResult r) {
        List<Row> rows = new ArrayList<>(r.biomarkers().size());
        for (BiomarkerValue b : r.biomarkers()) {
            rows.add(of(BiomarkersTable.SCHEMA, r)
                    .set(BiomarkersTable.BIOMARKER, b.biomarker())
                    .set(BiomarkersTable.SITE, b.site())
                    .set(Columns.VALUE, b.value())
                    .set(BiomarkersTable.UNIT, b.unit())
                    .set(Columns.REASON, b.reason())
                    .row());
        }
        return rows;
    }

    public static List<Row> measurementRows(ExamResult r) {
        List<Row> rows = new ArrayList<>(r.measurements().size());
        for (Measurement m : r.measurements()) {
            RowBuilder row = structure(of(MeasurementsTable.SCHEMA, r), m);
            rows.add(statistics(row, m, UnaryOperator.identity()).row());
        }
        return rows;
    }

    /**
     * The exam's validation against its reference: one row per structure of the model's vocabulary, or
     * one failed row (null structure) naming the problem; none for an exam without a reference. The
     * values are {@code StructureAgreement#columns()}'s, from the staged form.
     */
    public static List<Row> validationRows(ExamResult r) {
        ValidationResult v = r.validation();
        if (v == null) {
            return List.of();
        }
        if (!v.ok()) {
            return List.of(of(ValidationTable.SCHEMA, r)
                    .set(Columns.STATUS, Status.FAILED.value())
                    .set(ExamsTable.ERROR_CLASS, v.errorClass())
                    .set(ExamsTable.ERROR_MESSAGE, v.errorMessage())
                    .row());
        }
        List<Row> rows = new ArrayList<>(v.structures().size());
        for (ValidationResult.Agreement a : v.structures()) {
            RowBuilder row = structure(of(ValidationTable.SCHEMA, r), a.model())
                    .set(ValidationTable.DICE, a.dice())
                    .set(ValidationTable.OVERLAP_VOXELS, a.overlapVoxels())
                    .set(Columns.STATUS, Status.OK.value());
            statistics(row, a.model(), UnaryOperator.identity());
            statistics(row, a.reference(), ValidationTable::reference);
            rows.add(row.row());
        }
        return rows;
    }

    /** A row of {@code schema} keyed by the exam and its model. */
    private static RowBuilder of(StructType schema, ExamResult r) {
        return new RowBuilder(schema).set(Columns.EXAM_ID, r.examId()).set(Columns.MODEL_ID, r.modelId());
    }

    private static RowBuilder structure(RowBuilder row, Measurement m) {
        return row.set(Columns.STRUCTURE, m.structure()).set(MeasurementsTable.LABEL, (long) m.label());
    }

    /**
     * The measurements table's statistics of one structure, each under {@code column} of its
     * measurements column: the same name there, the {@code _reference} one for a validation
     * reference.
     */
    private static RowBuilder statistics(RowBuilder row, Measurement m, UnaryOperator<String> column) {
        return row.set(column.apply(MeasurementsTable.VOXEL_COUNT), m.voxelCount())
                .set(column.apply(MeasurementsTable.VOLUME_ML), m.volumeMl())
                .set(column.apply(MeasurementsTable.HU_MEAN), m.huMean())
                .set(column.apply(MeasurementsTable.HU_STD), m.huStd())
                .set(column.apply(MeasurementsTable.HU_MEDIAN), m.huMedian())
                .set(column.apply(MeasurementsTable.HU_P05), m.huP05())
                .set(column.apply(MeasurementsTable.HU_P95), m.huP95())
                .set(column.apply(MeasurementsTable.TOUCHES_BORDER), m.touchesBorder());
    }
}
