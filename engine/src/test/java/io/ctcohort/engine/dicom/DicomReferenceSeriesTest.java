package io.ctcohort.engine.dicom;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.nifti.NiftiReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference DICOM series (TotalSegmentator's example_ct written in every common transfer
 * syntax; dcm2niix converts each to exactly example_ct.nii.gz) read by ctcohort: the same HU
 * voxel for voxel and the same affine as example_ct.nii.gz read by the NIfTI reader.
 */
class DicomReferenceSeriesTest {
    /** ImagePositionPatient is written as a decimal string of 6 decimals; the NIfTI holds float32. */
    private static final double AFFINE_TOLERANCE_MM = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"explicit_le_int16", "implicit_le_uint16", "deflated", "rle", "jpeg_lossless",
        "jpegls_lossless", "jpeg2000_lossless", "study_three_series/s2"})
    void readsEqualToTheNifti(String folder) {
        Path dir = TestData.reference().resolve("dicom").resolve(folder);
        Assumptions.assumeTrue(Files.isDirectory(dir), "reference series absent: " + dir);
        CtVolume expected = NiftiReader.read(TestData.totalSegmentator("example_ct.nii.gz")).toCt();

        DicomSeriesReader.Series series = DicomSeriesReader.read(new LocalSeriesFiles(dir), null,
                NiftiReader.DEFAULT_MAX_VOXELS);
        CtVolume ct = series.ct();

        assertArrayEquals(expected.geometry().dims(), ct.geometry().dims());
        assertArrayEquals(expected.geometry().affine(), ct.geometry().affine(), AFFINE_TOLERANCE_MM);
        assertArrayEquals(expected.geometry().spacing(), ct.geometry().spacing(), 1e-9);
        assertEquals(expected.geometry().voxelVolumeMm3(), ct.geometry().voxelVolumeMm3());
        assertArrayEquals(expected.hu(), ct.hu(), folder + ": HU differ");
        assertEquals(112, series.slices());
    }
}
