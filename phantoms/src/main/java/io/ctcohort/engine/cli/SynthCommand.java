package io.ctcohort.engine.cli;

import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctcohort synth}: a synthetic cohort of abdominal CTs with known anatomy and planted age effects. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic CT cohort (phantoms) with true label maps and planted age effects.",
                "Writes DIR/images/*.nii.gz (or DIR/images/<exam_id>/ DICOM series), DIR/labels/*.nii.gz, manifest.csv, "
                        + "manifest_masks.csv and truth.csv."})
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--exams", required = true, description = "Number of exams.")
    int exams;

    @Option(names = "--seed", defaultValue = "42", description = "Cohort seed (default ${DEFAULT-VALUE}); exam i is a function of (seed, i).")
    long seed;

    @Option(names = "--threads", description = "Generator threads (default: available processors).")
    Integer threads;

    @Option(names = "--format", defaultValue = "nifti",
            description = "CT format: nifti (images/<exam_id>.nii.gz) or dicom (images/<exam_id>/, one CT series per "
                    + "exam, image_uri the folder); labels are NIfTI either way (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--truth-only", description = "Write only truth.csv (labels rasterized, no images).")
    boolean truthOnly;

    @Override
    public Integer call() {
        if (exams < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--exams must be at least 1");
        }
        CohortWriter.ImageFormat imageFormat = switch (format.toLowerCase(Locale.ROOT)) {
            case "nifti" -> CohortWriter.ImageFormat.NIFTI;
            case "dicom" -> CohortWriter.ImageFormat.DICOM;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--format must be nifti or dicom, not " + format);
        };
        long t0 = System.nanoTime();
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        new CohortWriter(new PhantomGenerator(seed), n, imageFormat).write(out, exams, truthOnly);
        System.out.printf("synth: %d exams (seed %d) -> %s in %.1f s%n", exams, seed, out.toAbsolutePath(),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
