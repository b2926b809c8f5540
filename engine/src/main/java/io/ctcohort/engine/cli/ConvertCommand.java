package io.ctcohort.engine.cli;

import io.ctcohort.engine.dicom.DicomSeriesReader;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.nifti.NiftiWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ctcohort convert}: a DICOM series as ctcohort reads it, written as NIfTI to hold against dcm2niix. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Write a DICOM CT series as the NIfTI volume ctcohort reads from it (int16 HU, RAS affine),",
            "to compare with dcm2niix or to feed other tools."})
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "SERIES_DIR", converter = ImageRefConverter.class,
            description = "DICOM series folder (DIR, or DIR#SeriesInstanceUID when it holds several series)")
    ImageRef in;

    @Option(names = "--out", required = true, paramLabel = "vol.nii.gz", description = "NIfTI file to write")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        DicomSeriesReader.Series s = CtReader.local().readSeries(in);
        CtVolume ct = s.ct();
        NiftiWriter.write(ct, out);
        Geometry g = ct.geometry();
        err.printf("convert: series %s, %d slices (%d files skipped, %d localizers, %d copies dropped) -> %s, %s, "
                + "%.1f s%n", s.seriesUid(), s.slices(), s.filesSkipped(), s.localizersDropped(), s.copiesDropped(),
                out, g, (System.nanoTime() - t0) / 1e9);
        err.flush();
        return 0;
    }
}
