package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Stage;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.ModelHandles;
import io.ctcohort.engine.infer.OrtSettings;
import io.ctcohort.engine.infer.PreparedCt;
import io.ctcohort.engine.infer.SegmentationResult;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.model.ModelCard;
import io.ctcohort.engine.model.ModelDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code segment}: read the CT, segment it with the model, measure the exam ({@link io.ctcohort.engine.measure.ExamMeasurer}:
 * every structure, the contrast phase, the biomarkers), and validate the segmentation where the exam
 * has a reference label map ({@link ReferenceValidation}).
 *
 * <p>The model is located on the executor by a {@link ModelSource}, never shipped as a session:
 * the bundled demo model (extracted from the jar once per JVM), a local directory (local mode, or a
 * path every node shares), or files distributed with {@code SparkContext.addFile}. Reading and
 * preprocessing ({@link #prepare}) need no session, so a task may do them for its next exam while
 * this one infers. The ONNX
 * sessions come from the executor's {@link ModelHandles} registry: one handle per model per JVM, one
 * session per device, reused by every task of an executor. The device is a request ({@code auto},
 * {@code cuda}, ...) until {@link #forTask} resolves it with the GPU Spark assigned the task; the
 * ONNX Runtime settings travel resolved from the driver, each one left unset falling back to the
 * executor's system properties.
 */
public final class SegmentAnalyzer extends LabelMapAnalyzer {
    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final Device device;
    private final OrtSettings settings;

    private SegmentAnalyzer(ModelSource source, ModelIdentity identity, Map<Integer, String> labels, Device device,
                            OrtSettings settings) {
        super("segment", identity, labels);
        this.source = source;
        this.device = device;
        this.settings = settings;
    }

    /** This analyzer asking for {@code device} (auto, cpu, cuda, cuda:N) with these ONNX Runtime settings. */
    public SegmentAnalyzer on(Device device, OrtSettings settings) {
        return new SegmentAnalyzer(source, identity(), labels(), device, settings);
    }

    /** The device request resolved against the GPU Spark assigned the task. */
    @Override
    public SegmentAnalyzer forTask(Integer assignedGpu) {
        return on(device.resolve(assignedGpu), settings);
    }

    @Override
    public Device device() {
        return device;
    }

    /** A model the driver finds where the executors do: the bundled demo model, or a shared directory. */
    public static SegmentAnalyzer of(ModelSource source) {
        return of(source.resolve(), source);
    }

    /**
     * @param modelDir the model directory on the driver
     * @param onExecutors how executors find it (e.g. {@link ModelSource.SparkFiles} after addFile)
     */
    public static SegmentAnalyzer of(Path modelDir, ModelSource onExecutors) {
        ModelDirectory model = ModelDirectory.load(modelDir); // validates the card and every sha256 before any work
        return new SegmentAnalyzer(onExecutors, identityOf(model.card()), model.labels(), Device.AUTO, OrtSettings.UNSET);
    }

    /**
     * model_id = the card's id; model_sha256 = the card's sha256 of its ONNX file (a multi-part
     * model: the sha256 of its parts' "id:sha256" lines), checked against the files on load.
     */
    static ModelIdentity identityOf(ModelCard card) {
        String id = card.id();
        if (card.sha256() != null && !card.isMultiPart()) {
            return new ModelIdentity(id, card.sha256());
        }
        StringBuilder sb = new StringBuilder();
        card.parts().forEach(p -> sb.append(p.id()).append(':').append(p.sha256()).append('\n'));
        return new ModelIdentity(id, ModelIdentity.sha256Hex(sb.toString()));
    }

    Path modelDir() {
        return source.resolve();
    }

    /** Reads and preprocesses on the calling thread (a prefetch helper's); inference waits for finish. */
    @Override
    public PreparedExam prepare(ExamTask task, ImageSource images) throws Exception {
        Map<String, Long> ms = new LinkedHashMap<>();
        long t = System.nanoTime();
        CtVolume ct = images.readCt(task.imageUri());
        ms.put(Stage.READ.label(), (System.nanoTime() - t) / 1_000_000);

        Segmenter segmenter = ModelHandles.open(modelDir(), settings.orElse(OrtSettings.fromSystemProperties()))
                .segmenter(device);
        PreparedCt prepared = segmenter.prepare(ct);
        return () -> {
            SegmentationResult seg = segmenter.segment(prepared, 1);
            ms.putAll(seg.stageMillis());
            return Analysis.measure(task, images, ct, seg.labels(), vocabulary(), ms, device.toString());
        };
    }

    @Override
    public Analysis analyze(ExamTask task, ImageSource images) throws Exception {
        return prepare(task, images).finish();
    }
}
