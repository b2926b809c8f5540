package io.ctcohort.engine.cli;

import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.infer.SegmentationResult;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.engine.measure.BiomarkersJson;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.stats.StatisticsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code segment-one}: one CT through one model, label map (and statistics.json) out. */
@Command(name = "segment-one", mixinStandardHelpOptions = true,
        description = "Segment one CT (NIfTI file or DICOM series folder) with an ONNX model directory; write the label map in the CT's grid.")
public final class SegmentOneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ct", required = true, converter = ImageRefConverter.class, description = "CT: a NIfTI file (.nii, .nii.gz) or a DICOM series folder (DIR, or DIR#SeriesInstanceUID when it holds several)")
    ImageRef ct;

    @Option(names = "--out", required = true, description = "label map to write (.nii.gz compresses)")
    Path out;

    @Option(names = "--stats", description = "also write TotalSegmentator-style statistics.json here")
    Path stats;

    @Option(names = "--include-incomplete", description = "statistics: keep structures touching the border")
    boolean includeIncomplete;

    @Option(names = "--extra", description = "statistics: add voxel count, HU std, median, p05, p95, touches_border")
    boolean extra;

    @Option(names = "--biomarkers", paramLabel = "biomarkers.json",
            description = "also write the exam's contrast phase and biomarkers as JSON (README \"Biomarkers\")")
    Path biomarkers;

    @Mixin
    SegmenterOptions modelOptions;

    @Override
    public Integer call() {
        Segmenter segmenter = modelOptions.segmenter();
        CtVolume volume = CtReader.readLocal(ct);
        SegmentationResult r = segmenter.segment(volume, modelOptions.batch());
        NiftiWriter.write(r.labels(), out);
        System.out.println("wrote " + out + " (" + segmenter.card().id() + ", stages ms " + r.stageMillis() + ")");
        if (stats != null || biomarkers != null) {
            // the one measuring path, as segment and measure runs use it
            ExamMeasurement m = ExamMeasurer.measure(volume, r.labels(), segmenter.labelMap(), null);
            if (stats != null) {
                StatisticsJson.write(m.structures(), includeIncomplete, extra, stats);
                System.out.println("wrote " + stats);
            }
            if (biomarkers != null) {
                BiomarkersJson.write(m, biomarkers);
                System.out.println("wrote " + biomarkers + " (contrast phase " + m.phase().phase().value() + ")");
            }
        }
        return 0;
    }

    /** Runs without the pipeline module: {@code java -cp <engine classpath> io.ctcohort.engine.cli.SegmentOneCommand ...}. */
    public static void main(String[] args) {
        System.exit(BadInputHandler.commandLine(new SegmentOneCommand()).execute(args));
    }
}
