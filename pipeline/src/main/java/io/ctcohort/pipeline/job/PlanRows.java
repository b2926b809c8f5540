package io.ctcohort.pipeline.job;

import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.manifest.ManifestEntry;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows a run's plan is made of, one per exam: the manifest's inputs ({@link #INPUT}), then the
 * exam's task with its fingerprint and key ({@link #TASK}), then what the run does with it
 * ({@link #PLAN}: carried over, reused from staging, or processed). Read and written by name.
 */
final class PlanRows {
    static final String EXAM_ID = "exam_id";
    static final String IMAGE_URI = "image_uri";
    static final String MASK_URI = "mask_uri";
    static final String REFERENCE_URI = "reference_uri";
    static final String PHASE = "phase";
    static final String PHASE_SOURCE = "phase_source";
    static final String PHASE_REASON = "phase_reason";
    static final String FINGERPRINT = "fingerprint";
    static final String SIZE_BYTES = "size_bytes";
    static final String MODEL_SHA256 = "model_sha256";
    static final String KEY = "key";
    static final String DECISION = "decision";
    static final String STAGED_FILE = "staged_file";

    /** Unchanged since the previous complete run: its rows are copied from it. */
    static final String CARRIED = "carried";
    /** Finished by an interrupted attempt of this run: its result is taken from staging. */
    static final String STAGED = "staged";
    /** Analyzed in this run. */
    static final String TODO = "todo";

    /** One manifest row as the executors fingerprint it. */
    static final StructType INPUT = new StructType()
            .add(EXAM_ID, DataTypes.StringType, false)
            .add(IMAGE_URI, DataTypes.StringType, true)
            .add(MASK_URI, DataTypes.StringType, true)
            .add(REFERENCE_URI, DataTypes.StringType, true)
            .add(PHASE, DataTypes.StringType, true)
            .add(PHASE_SOURCE, DataTypes.StringType, true)
            .add(PHASE_REASON, DataTypes.StringType, true);

    /** {@link #INPUT} plus the task's fingerprint, input size and key. */
    static final StructType TASK = INPUT
            .add(FINGERPRINT, DataTypes.StringType, false)
            .add(SIZE_BYTES, DataTypes.LongType, false)
            .add(MODEL_SHA256, DataTypes.StringType, false)
            .add(KEY, DataTypes.StringType, false);

    private PlanRows() {
    }

    /** The inputs of a manifest entry; the mask only where the analyzer reads one. */
    static Row input(ManifestEntry e, boolean needsMask) {
        PhaseCall p = e.givenPhase();
        return RowFactory.create(e.examId(), ImageRef.text(e.imageUri()), needsMask ? ImageRef.text(e.maskUri()) : null,
                ImageRef.text(e.referenceMaskUri()),
                p == null ? null : p.phase().name(), p == null ? null : p.source().name(), p == null ? null : p.reason());
    }

    static Row task(Row input, ExamTask t) {
        Object[] v = new Object[TASK.size()];
        for (int i = 0; i < INPUT.size(); i++) {
            v[i] = input.get(i);
        }
        v[INPUT.size()] = t.fingerprint();
        v[INPUT.size() + 1] = t.sizeBytes();
        v[INPUT.size() + 2] = t.modelSha256();
        v[INPUT.size() + 3] = t.key();
        return RowFactory.create(v);
    }

    /** The given contrast phase of an input row, or null. */
    static PhaseCall givenPhase(Row r) {
        String phase = r.getAs(PHASE);
        return phase == null ? null : new PhaseCall(ContrastPhase.valueOf(phase),
                PhaseSource.valueOf(r.getAs(PHASE_SOURCE)), r.getAs(PHASE_REASON));
    }

    /** The task of a row holding {@link #TASK}'s columns. */
    static ExamTask examTask(Row r) {
        return new ExamTask(r.getAs(EXAM_ID), ref(r, IMAGE_URI), ref(r, MASK_URI), r.getAs(FINGERPRINT),
                r.<Long>getAs(SIZE_BYTES), r.getAs(MODEL_SHA256), givenPhase(r), ref(r, REFERENCE_URI));
    }

    /** An image reference column: the manifest's parsed reference as its text, parsed back (or null). */
    static ImageRef ref(Row r, String column) {
        String text = r.getAs(column);
        return text == null ? null : ImageRef.parse(text);
    }
}
