package io.ctcohort.pipeline.job;

import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.Measurement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the two tables (docs/DESIGN.md "Tables") and the conversion of results into their rows.
 * The {@code exams} table is the manifest's columns (exam_id, image_uri, demographics ...)
 * followed by {@link #EXAM_RESULT}; its key is (exam_id, model_id). {@code measurements} has one
 * row per exam x structure x model.
 */
public final class Tables {
    /** Stage columns, in pipeline order; each is {@code <stage>_ms}. */
    public static final List<String> STAGES =
            List.of("read", "reorient", "resample", "normalize", "infer", "restore", "stats", "total");

    public static final StructType EXAM_RESULT;

    static {
        StructType s = new StructType()
                .add("input_fingerprint", DataTypes.StringType)
                .add("status", DataTypes.StringType, false)
                .add("error_class", DataTypes.StringType)
                .add("error_message", DataTypes.StringType)
                .add("dim_x", DataTypes.IntegerType)
                .add("dim_y", DataTypes.IntegerType)
                .add("dim_z", DataTypes.IntegerType)
                .add("spacing_x", DataTypes.DoubleType)
                .add("spacing_y", DataTypes.DoubleType)
                .add("spacing_z", DataTypes.DoubleType);
        for (String stage : STAGES) {
            s = s.add(stage + "_ms", DataTypes.LongType);
        }
        EXAM_RESULT = s.add("device", DataTypes.StringType)
                .add("model_id", DataTypes.StringType, false)
                .add("model_sha256", DataTypes.StringType, false)
                .add("pipeline_version", DataTypes.StringType)
                .add("processed_at", DataTypes.TimestampType);
    }

    /** The result part of an exams row, keyed by exam_id (joined with the manifest later). */
    public static final StructType EXAM_RESULT_KEYED;

    static {
        StructType s = new StructType().add("exam_id", DataTypes.StringType, false);
        for (StructField f : EXAM_RESULT.fields()) {
            s = s.add(f);
        }
        EXAM_RESULT_KEYED = s;
    }

    public static final StructType MEASUREMENTS = new StructType()
            .add("exam_id", DataTypes.StringType, false)
            .add("structure", DataTypes.StringType, false)
            .add("label", DataTypes.LongType, false)
            .add("voxel_count", DataTypes.LongType, false)
            .add("volume_ml", DataTypes.DoubleType, false)
            .add("hu_mean", DataTypes.DoubleType)
            .add("hu_std", DataTypes.DoubleType)
            .add("hu_median", DataTypes.DoubleType)
            .add("hu_p05", DataTypes.DoubleType)
            .add("hu_p95", DataTypes.DoubleType)
            .add("touches_border", DataTypes.BooleanType, false)
            .add("model_id", DataTypes.StringType, false);

    /** Names a manifest may not use: they are result columns of the exams table. */
    public static Set<String> reservedColumns() {
        return Set.of(EXAM_RESULT.fieldNames());
    }

    private Tables() {
    }

    public static Row examRow(ExamResult r) {
        List<Object> v = new ArrayList<>();
        v.add(r.examId());
        v.add(r.fingerprint());
        v.add(r.status());
        v.add(r.errorClass());
        v.add(r.errorMessage());
        for (int i = 0; i < 3; i++) {
            v.add(r.dims() == null ? null : r.dims()[i]);
        }
        for (int i = 0; i < 3; i++) {
            v.add(r.spacing() == null ? null : r.spacing()[i]);
        }
        Map<String, Long> stages = r.stageMillis() == null ? Map.of() : r.stageMillis();
        for (String stage : STAGES) {
            v.add(stages.get(stage));
        }
        v.add(r.device());
        v.add(r.modelId());
        v.add(r.modelSha256());
        v.add(r.pipelineVersion());
        v.add(new Timestamp(r.processedAtMillis()));
        return RowFactory.create(v.toArray());
    }

    public static List<Row> measurementRows(ExamResult r) {
        List<Row> rows = new ArrayList<>(r.measurements().size());
        for (Measurement m : r.measurements()) {
            rows.add(RowFactory.create(r.examId(), m.structure(), (long) m.label(), m.voxelCount(), m.volumeMl(),
                    m.huMean(), m.huStd(), m.huMedian(), m.huP05(), m.huP95(), m.touchesBorder(), r.modelId()));
        }
        return rows;
    }
}
