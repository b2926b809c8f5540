package io.ctcohort.engine.dicom;

import static io.ctcohort.engine.dicom.DicomSeriesWriterTest.*;
import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Series;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Study;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.nifti.NiftiReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real example CT written by us against the same CT written by pydicom
 * (reference/dicom/explicit_le_int16): per instance number, the same geometry and the same pixels.
 *
 * <p>Checked at development time with independent tools on this writer's output of example_ct.nii.gz:
 * dcm2niix 1.0.20220720 converts our 112 files to 122x101x112 int16 with exactly the voxels and
 * affine (max |difference| 0.0) of its conversion of reference/dicom/explicit_le_int16, and after
 * nibabel's as_closest_canonical exactly example_ct.nii.gz's voxels (-1207..3382 HU) and sform
 * (max |difference| 0.0). MultiSeriesStudy's folder converts to 1, 112 and 56 slices (the 56 equal
 * example_ct[:, :, 0::2]), as the reference study_three_series does. dcmtk: dcmftest says every file
 * is Part 10; dcmdump -E reports no error; dcmconv re-encodes a file with a data set identical to
 * ours (only the implementation UID and name in the meta group differ). dciodvfy (dicom3tools
 * 1.00~20220618) finds a valid CTImage with two warnings only, both about DICOMDIR (StudyTime and
 * StudyID are empty); on the pydicom reference files it reports five missing type 2 attributes.
 * pydicom 3.0.2 reads every element in strict validation mode (reading_validation_mode RAISE).
 * 40 synth --format dicom phantoms (seed 11, all six stored orientations, sagittal SAR included)
 * convert with dcm2niix to their NIfTI twins' voxels after as_closest_canonical, affines within
 * 6.1e-5 mm (the float32 sform of both NIfTIs).
 */
class DicomSeriesWriterReferenceTest {

    @Test
    void exampleCtMatchesThePydicomSeriesTagForTagAndPixelForPixel(@TempDir Path tmp) throws Exception {
        CtVolume ct = NiftiReader.read(TestData.totalSegmentator("example_ct.nii.gz")).toCt();
        Path reference = TestData.reference().resolve("dicom").resolve("explicit_le_int16");
        Assumptions.assumeTrue(Files.isDirectory(reference), "reference data absent: " + reference);
        Study study = new Study("example_ct", "CTC0001", "PHANTOMNAME^EXAMPLE", "M", 63, LocalDate.of(1962, 3, 1),
                LocalDate.of(2025, 4, 15), "ACCCTC0001", "", "CTCOHORT", "ABDOMEN");
        List<Path> ours = DicomSeriesWriter.write(ct, study, Series.axial(2, "ABDOMEN 3.0 B30f", "B30f"), tmp)
                .files();
        assertEquals(112, ours.size());

        Map<Integer, TinyDicomParser> theirs = new HashMap<>();
        try (Stream<Path> files = Files.list(reference)) {
            for (Path f : files.toList()) {
                TinyDicomParser p = TinyDicomParser.parse(f);
                theirs.put(p.integer(INSTANCE_NUMBER), p);
            }
        }
        assertEquals(112, theirs.size());
        double[] a = ct.geometry().affine();
        double worst = 0;
        for (int k = 0; k < ours.size(); k++) {
            TinyDicomParser p = TinyDicomParser.parse(ours.get(k));
            TinyDicomParser ref = theirs.get(p.integer(INSTANCE_NUMBER));
            // pydicom's file has 6 decimals (177.956329 for -177.95632934570312): agree to 1e-6.
            assertArrayEquals(ref.doubles(IOP), p.doubles(IOP), 1e-6);
            assertArrayEquals(ref.doubles(PIXEL_SPACING), p.doubles(PIXEL_SPACING), 1e-6);
            assertArrayEquals(ref.doubles(IPP), p.doubles(IPP), 1e-6, "instance " + (k + 1));
            assertEquals(ref.doubles(SLICE_THICKNESS)[0], p.doubles(SLICE_THICKNESS)[0], 1e-6);
            assertEquals(ref.us(ROWS), p.us(ROWS));
            assertEquals(ref.us(COLUMNS), p.us(COLUMNS));
            assertEquals(ref.string(IMAGE_TYPE), p.string(IMAGE_TYPE));
            assertEquals(ref.string(PATIENT_AGE), p.string(PATIENT_AGE));
            for (int tag : new int[] {0x00280100, 0x00280101, 0x00280102, 0x00280103}) {
                assertEquals(ref.us(tag), p.us(tag));
            }
            assertArrayEquals(ref.raw(PIXEL_DATA), p.raw(PIXEL_DATA), "pixels of instance " + (k + 1));
            // Ours against the affine itself (RAS; x and y negated in LPS): far inside 1e-4 mm.
            double[] ipp = p.doubles(IPP);
            for (int r = 0; r < 3; r++) {
                double expected = (r < 2 ? -1 : 1) * (a[4 * r + 3] + k * a[4 * r + 2]);
                worst = Math.max(worst, Math.abs(expected - ipp[r]));
            }
        }
        assertTrue(worst < 1e-9, "largest position error " + worst + " mm");
    }
}
