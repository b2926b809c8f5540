package io.ctcohort.engine.cli;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.GridMatch;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.measure.BiomarkersJson;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.stats.StatisticsJson;
import io.ctcohort.engine.stats.StructureStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ctcohort stats}: TotalSegmentator's statistics.json from a CT and an existing label map. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Per-structure volume and HU of a CT and its segmentation, written as TotalSegmentator's"
                + " statistics.json ({structure: {volume: mm3, intensity: mean HU}}), without re-segmenting.",
            "Structures touching the border (a voxel within 3 planes of a face) get 0/0 unless"
                + " --include-incomplete."},
        exitCodeOnExecutionException = 1)
public final class StatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ct", required = true, paramLabel = "CT", converter = ImageRefConverter.class,
            description = "CT: a NIfTI file (.nii, .nii.gz) or a DICOM series folder (DIR, or DIR#SeriesInstanceUID when it holds several)")
    ImageRef ct;

    @Option(names = "--seg", required = true, paramLabel = "SEG",
            description = "label map in the CT's grid (.nii or .nii.gz): same shape, spacing, origin and direction"
                    + " (within 1e-4 relative, 1e-3 mm, 1e-4), else refused")
    Path seg;

    @Option(names = "--labels", defaultValue = "total", paramLabel = "total|total_v1|FILE.tsv",
            description = "label index -> structure name: TotalSegmentator's 'total' (v2, default),"
                    + " 'total_v1', or a TSV file (label<TAB>structure)")
    String labels;

    @Option(names = "--include-incomplete",
            description = "report structures touching the border too (TotalSegmentator's -sii)")
    boolean includeIncomplete;

    @Option(names = "--extra", description = "add voxel_count, volume_ml, hu_mean, hu_std (population),"
            + " hu_median, hu_p05, hu_p95 (numpy 'linear'), touches_border, label to each structure")
    boolean extra;

    @Option(names = "--out", required = true, paramLabel = "statistics.json", description = "output JSON file")
    Path out;

    @Option(names = "--biomarkers", paramLabel = "biomarkers.json",
            description = "also write the exam's contrast phase and biomarkers (trabecular HU, liver and spleen"
                    + " HU, aortic calcium, L3 body composition; README \"Biomarkers\") as JSON")
    Path biomarkers;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LabelMap map = LabelMap.resolve(labels);
        long t0 = System.nanoTime();
        CtVolume ctVolume = CtReader.readLocal(ct);
        LabelVolume labelVolume = NiftiReader.read(seg).toLabels();
        GridMatch.require(ct.toString(), ctVolume.geometry(), seg.toString(), labelVolume.geometry());
        long t1 = System.nanoTime();
        ExamMeasurement measured = ExamMeasurer.measure(ctVolume, labelVolume, map, null);
        List<StructureStatistics> stats = measured.structures();
        long t2 = System.nanoTime();
        StatisticsJson.write(stats, includeIncomplete, extra, out);
        if (biomarkers != null) {
            BiomarkersJson.write(measured, biomarkers);
        }
        long present = stats.stream().filter(StructureStatistics::present).count();
        long border = stats.stream().filter(StructureStatistics::touchesBorder).count();
        err.printf("stats: %d of %d structures present, %d touch the border%s; read %d ms, measure %d ms -> %s%n",
                present, stats.size(), border, includeIncomplete ? " (kept)" : " (reported as 0)",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, out);
        err.flush();
        return 0;
    }
}
