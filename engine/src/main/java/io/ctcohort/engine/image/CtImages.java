package io.ctcohort.engine.image;

import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.dicom.DicomSeriesReader;
import io.ctcohort.engine.nifti.NiftiReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the engine takes a CT from the local file system: a NIfTI file ({@code .nii},
 * {@code .nii.gz}) or a DICOM series folder ({@code DIR}, or {@code DIR#SeriesInstanceUID} when
 * the folder holds several series).
 */
public final class CtImages {
    private CtImages() {
    }

    public static CtVolume read(Path location) {
        DicomSeriesReader.Location loc = DicomSeriesReader.Location.parse(location.toString());
        if (Files.isDirectory(Path.of(loc.folder()))) {
            return DicomSeriesReader.read(location.toString());
        }
        if (isDicomFile(location)) {
            throw new InvalidImageException(location.toString(), "a single DICOM file; give the folder of its series");
        }
        return NiftiReader.read(location).toCt();
    }

    private static boolean isDicomFile(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        } catch (IOException e) {
            return false;
        }
    }
}
