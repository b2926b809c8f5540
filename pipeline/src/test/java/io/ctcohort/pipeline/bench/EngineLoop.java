package io.ctcohort.pipeline.bench;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.ModelHandles;
import io.ctcohort.engine.infer.SegmentationResult;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.stats.StructureStatistics;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine alone, no Spark: read, segment, measure one exam (through {@link ExamMeasurer}, as
 * the pipeline does: biomarkers included in the cost). The reference the pipeline's rows are
 * compared against, and the baseline of the overhead benchmark.
 */
public final class EngineLoop {
    private EngineLoop() {
    }

    public static List<StructureStatistics> segmentAndMeasure(Path image, Path modelDir, Device device) {
        CtVolume ct = NiftiReader.read(image).toCt();
        Segmenter segmenter = ModelHandles.open(modelDir).segmenter(device);
        SegmentationResult seg = segmenter.segment(ct);
        return ExamMeasurer.measure(ct, seg.labels(), segmenter.labelMap(), null).structures();
    }
}
