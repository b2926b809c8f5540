package io.ctcohort.engine.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.dicom.DicomException;
import io.ctcohort.engine.dicom.DicomSeriesReader;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.nifti.NiftiWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader on the local store: which image a reference opens, and what it refuses. */
class CtReaderTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) throws Exception {
        return Path.of(CtReaderTest.class.getResource("/dicom/" + name).toURI());
    }

    private CtVolume smallCt() {
        short[] hu = new short[3 * 4 * 5];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (i * 7 - 100);
        }
        return new CtVolume(Geometry.axisAligned(3, 4, 5, 0.8, 0.8, 2.5), hu);
    }

    @Test
    void aNiftiFileReadsTheSameByPathAndByFileUri() throws Exception {
        Path file = tmp.resolve("my exam").resolve("ct.nii.gz");
        Files.createDirectories(file.getParent());
        CtVolume ct = smallCt();
        NiftiWriter.write(ct, file);
        assertArrayEquals(ct.hu(), CtReader.readLocal(ImageRef.of(file)).hu());
        assertArrayEquals(ct.hu(), CtReader.readLocal(ImageRef.parse(file.toUri().toString())).hu());
        assertArrayEquals(ct.hu(), CtReader.local().readNifti(ImageRef.of(file)).toCt().hu());
    }

    @Test
    void aFolderIsItsDicomSeriesAndTheFragmentChoosesOne() throws Exception {
        String dir = fixture("two_series").toString();
        DicomSeriesReader.Series s = CtReader.local().readSeries(ImageRef.parse(dir + "#1.2.826.0.1.3680043.10.1234.9.2.9"));
        assertEquals(4, s.slices());
        assertEquals(1, s.filesSkipped(), "README.txt is skipped");
        assertEquals(7 + 100 * 3 + 10 * 4 + 5, s.ct().get(5, 4, 3), "values of the named series (DicomFixturesTest)");
        DicomException ambiguous = assertThrows(DicomException.class, () -> CtReader.readLocal(ImageRef.parse(dir)));
        assertEquals(DicomException.Problem.SERIES_AMBIGUOUS, ambiguous.problem());
        assertTrue(ambiguous.getMessage().startsWith(dir), "names the folder: " + ambiguous.getMessage());
    }

    @Test
    void aLoneDicomFileIsRefusedAskingForItsFolder() throws Exception {
        Path one = Files.copy(fixture("s16_native.dcm"), tmp.resolve("slice.dcm"));
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> CtReader.readLocal(ImageRef.of(one)));
        assertEquals(one + ": a single DICOM file; give the folder of its series", e.getMessage());
        assertEquals("NOT_NIFTI", e.code());
    }

    @Test
    void aSeriesUidOnAFileAndAFolderAsALabelMapAreRefused() throws Exception {
        Path file = tmp.resolve("ct.nii.gz");
        NiftiWriter.write(smallCt(), file);
        InvalidImageException uid = assertThrows(InvalidImageException.class,
                () -> CtReader.readLocal(ImageRef.parse(file + "#1.2.3")));
        assertTrue(uid.getMessage().contains("names series 1.2.3 but is a file"), uid.getMessage());
        InvalidImageException folder = assertThrows(InvalidImageException.class,
                () -> CtReader.local().readNifti(ImageRef.of(tmp)));
        assertEquals(tmp + ": is a folder, not a NIfTI file", folder.getMessage());
    }

    @Test
    void theLocalStoreRefusesRemoteReferences() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> CtReader.readLocal(ImageRef.parse("s3a://bucket/ct.nii.gz")));
        assertTrue(e.getMessage().startsWith("s3a://bucket/ct.nii.gz: the engine's own commands read local files"),
                e.getMessage());
    }

    @Test
    void aMissingImageIsFileNotFoundNamingIt() {
        Path absent = tmp.resolve("absent.nii.gz");
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> CtReader.readLocal(ImageRef.of(absent)));
        assertEquals("FILE_NOT_FOUND", e.code());
        assertEquals(absent + ": file not found", e.getMessage());
    }
}
