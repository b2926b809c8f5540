package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Stage;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.SegmentationResult;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.model.ModelCard;
import io.ctcohort.engine.model.ModelDirectory;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkFiles;

/**
 * {@code segment}: read the CT, segment it with the model, measure every structure.
 *
 * <p>The model is located on the executor by a small description, never shipped as a session:
 * the bundled demo model (extracted from the jar once per JVM), a local directory (local mode, or a
 * path every node shares), or files distributed with {@code SparkContext.addFile}. The ONNX
 * session comes from {@link Segmenter#forModel}'s cache: one per model per device per JVM, reused by
 * every task of an executor.
 */
public final class SegmentAnalyzer implements ExamAnalyzer {
    private static final long serialVersionUID = 1L;
    /** Model location meaning "the files were added with SparkContext.addFile". */
    public static final String SPARK_FILES = "sparkfiles:";

    private final String modelLocation;
    private final ModelIdentity identity;
    private final TreeMap<Integer, String> labels;

    private SegmentAnalyzer(String modelLocation, ModelIdentity identity, Map<Integer, String> labels) {
        this.modelLocation = modelLocation;
        this.identity = identity;
        this.labels = new TreeMap<>(labels);
    }

    /**
     * @param modelDir the model directory on the driver; null = the bundled demo model
     * @param location how executors find it: null (demo), the same path, or {@link #SPARK_FILES}
     */
    public static SegmentAnalyzer of(Path modelDir, String location) {
        Path dir = modelDir == null ? BundledModels.demo() : modelDir;
        ModelDirectory model = ModelDirectory.load(dir); // validates the card and every sha256 before any work
        return new SegmentAnalyzer(location, identityOf(model.card()), model.labels());
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


    @Override
    public String jobName() {
        return "segment";
    }

    @Override
    public int structureCount() {
        return labels.size();
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    Path modelDir() {
        if (modelLocation == null) {
            return BundledModels.demo();
        }
        if (modelLocation.equals(SPARK_FILES)) {
            return Paths.get(SparkFiles.get(ModelDirectory.CARD_FILE)).getParent();
        }
        return Paths.get(modelLocation);
    }

    @Override
    public Analysis analyze(ExamTask task, ImageSource images, String device) throws Exception {
        Map<String, Long> ms = new LinkedHashMap<>();
        long t = System.nanoTime();
        CtVolume ct = images.readCt(task.imageUri());
        ms.put(Stage.READ.label(), (System.nanoTime() - t) / 1_000_000);

        Segmenter segmenter = Segmenter.forModel(modelDir(), Device.parse(device));
        SegmentationResult seg = segmenter.segment(ct);
        ms.putAll(seg.stageMillis());

        t = System.nanoTime();
        List<StructureStatistics> stats = StatisticsCalculator.compute(ct, seg.labels(), LabelMap.of(labels));
        ms.put(Stage.STATS.label(), (System.nanoTime() - t) / 1_000_000);
        return new Analysis(ct.geometry().dims(), ct.geometry().spacing(), ms, device, Measurements.of(stats));
    }
}
