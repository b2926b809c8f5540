package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Stage;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.GridMatch;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.labels.LabelMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code measure}: the same tables from label maps that exist already (a cohort segmented by
 * TotalSegmentator or by hand), measured by the same {@link io.ctcohort.engine.measure.ExamMeasurer} as {@code segment}. The "model" of a row is the label map: model_id names it
 * (default {@code masks:<labels>}) and model_sha256 is a digest of its label -> name table, so
 * re-measuring with another vocabulary is a different key. An exam with a reference label map is
 * validated against it ({@link ReferenceValidation}).
 */
public final class MeasureAnalyzer extends LabelMapAnalyzer {
    private static final long serialVersionUID = 1L;

    public MeasureAnalyzer(LabelMap labels, String modelId) {
        super("measure", identityOf(labels, modelId), labels.asMap());
    }

    /** model_sha256 = the sha256 of the "label<TAB>name" lines in label order. */
    private static ModelIdentity identityOf(LabelMap labels, String modelId) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(labels.asMap()).forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        return new ModelIdentity(modelId, ModelIdentity.sha256Hex(sb.toString()));
    }

    /** Reading and counting is milliseconds per exam: a task's own cost (ms) is worth batching away. */
    @Override
    public long taskInputBytes() {
        return 64L << 20;
    }

    @Override
    public boolean needsMask() {
        return true;
    }

    @Override
    public Analysis analyze(ExamTask task, ImageSource images) throws Exception {
        Map<String, Long> ms = new LinkedHashMap<>();
        long t = System.nanoTime();
        CtVolume ct = images.readCt(task.imageUri());
        LabelVolume mask = images.readNifti(task.maskUri()).toLabels();
        ms.put(Stage.READ.label(), (System.nanoTime() - t) / 1_000_000);
        GridMatch.require(task.imageUri().toString(), ct.geometry(), task.maskUri().toString(), mask.geometry());
        return Analysis.measure(task, images, ct, mask, vocabulary(), ms, Device.CPU.toString());
    }
}
