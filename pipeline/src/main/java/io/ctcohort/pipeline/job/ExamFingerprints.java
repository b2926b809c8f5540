package io.ctcohort.pipeline.job;

import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.InputFingerprint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * Fingerprints one partition of a manifest's exams on an executor ({@link PlanRows#INPUT} in,
 * {@link PlanRows#TASK} out): the image's, the mask's where the analyzer reads one, and the reference
 * label map's where the exam has one, combined with the given phase as {@link ExamTask#fingerprint}
 * says. Partitions are contiguous runs of the manifest, so a folder of many exams is listed once.
 */
final class ExamFingerprints implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Metadata calls are latency-bound: a few threads per task. */
    private static final int THREADS = 16;

    private final Broadcast<HadoopConf> conf;
    private final boolean needsMask;
    private final String modelSha256;

    ExamFingerprints(Broadcast<HadoopConf> conf, boolean needsMask, String modelSha256) {
        this.conf = conf;
        this.needsMask = needsMask;
        this.modelSha256 = modelSha256;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        List<Row> inputs = new ArrayList<>();
        rows.forEachRemaining(inputs::add);
        List<ImageRef> images = new ArrayList<>(inputs.size());
        List<ImageRef> masks = new ArrayList<>(inputs.size());
        List<ImageRef> references = new ArrayList<>(inputs.size());
        for (Row r : inputs) {
            images.add(PlanRows.ref(r, PlanRows.IMAGE_URI));
            masks.add(PlanRows.ref(r, PlanRows.MASK_URI));
            references.add(PlanRows.ref(r, PlanRows.REFERENCE_URI));
        }
        List<InputFingerprint.Stat> imageStats = InputFingerprint.ofAll(images, conf.value().get(), THREADS);
        List<InputFingerprint.Stat> maskStats = needsMask
                ? InputFingerprint.ofAll(masks, conf.value().get(), THREADS) : null;
        List<InputFingerprint.Stat> referenceStats = references.stream().anyMatch(r -> r != null)
                ? InputFingerprint.ofAll(references, conf.value().get(), THREADS) : null;
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Row r = inputs.get(i);
            String fp = imageStats.get(i).fingerprint();
            long size = imageStats.get(i).size();
            if (maskStats != null) {
                fp = "image:" + fp + "|mask:" + maskStats.get(i).fingerprint();
                size += maskStats.get(i).size();
            }
            ImageRef reference = references.get(i);
            ExamTask t = new ExamTask(r.getAs(PlanRows.EXAM_ID), images.get(i), masks.get(i),
                    ExamTask.fingerprint(fp, PlanRows.givenPhase(r),
                            reference == null ? null : referenceStats.get(i).fingerprint()),
                    size, modelSha256, PlanRows.givenPhase(r), reference);
            out.add(PlanRows.task(r, t));
        }
        return out.iterator();
    }
}
