package io.ctcohort.engine.dicom;

import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.engine.dicom.DicomException.Problem;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.nifti.NiftiReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ctcohort.engine.TestFiles.copy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small series written by pydicom (src/test/python/make_dicom_fixtures.py) with the volumes that
 * dcm2niix made of them as expected values (pydicom's modality LUT for signed 12-bit samples, which
 * this dcm2niix does not sign-extend). Compared in world space: dcm2niix lays out voxels its own
 * way (rows flipped), so each of our voxels is looked up at the same RAS position in its volume.
 */
class DicomFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"unsorted", "oblique", "rescale_per_slice", "signed_12bit"})
    void validSeriesEqualDcm2niixInWorldSpace(String name) throws Exception {
        CtVolume ct = read(fixture(name).toString());
        JsonNode e = JSON.readTree(fixture(name + ".expected.json").toFile());
        int[] shape = {e.get("shape").get(0).asInt(), e.get("shape").get(1).asInt(), e.get("shape").get(2).asInt()};
        double[][] a = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                a[r][c] = e.get("affine").get(r).get(c).asDouble();
            }
        }
        double[][] inv = new org.apache.commons.math3.linear.LUDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(a)).getSolver().getInverse().getData();
        JsonNode values = e.get("values_xyz");
        Geometry g = ct.geometry();
        assertEquals((long) shape[0] * shape[1] * shape[2], g.voxelCount(), name + ": voxel count");
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] w = new double[3];
                    for (int r = 0; r < 3; r++) {
                        w[r] = g.affine(r, 0) * x + g.affine(r, 1) * y + g.affine(r, 2) * z + g.affine(r, 3);
                    }
                    int[] ijk = new int[3];
                    for (int r = 0; r < 3; r++) {
                        double v = inv[r][0] * w[0] + inv[r][1] * w[1] + inv[r][2] * w[2] + inv[r][3];
                        assertEquals(Math.rint(v), v, 1e-3, name + ": voxel (" + x + "," + y + "," + z
                                + ") is off dcm2niix's grid");
                        ijk[r] = (int) Math.rint(v);
                    }
                    double expected = values.get(ijk[0] + shape[0] * (ijk[1] + shape[1] * ijk[2])).asDouble();
                    assertEquals(CtVolume.toHu(expected), ct.get(x, y, z), name + ": HU at (" + x + "," + y + "," + z + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "gantry_tilt, GANTRY_TILT, gantry tilt of 21.8 degrees",
        "missing_slice, SLICE_INCREMENT_INCONSISTENT, slices 2 and 3 are 5.000 mm apart where the series steps 2.500 mm (gap)",
        "duplicate_position, DUPLICATE_SLICE_POSITION, two different slices at the same position",
        "inconsistent_orientation, ORIENTATION_INCONSISTENT, slices have different orientations"})
    void invalidSeriesAreRefusedWithACodeNamingTheFolder(String name, Problem problem, String says) throws Exception {
        String dir = fixture(name).toString();
        DicomException e = assertThrows(DicomException.class, () -> read(dir));
        assertEquals(problem, e.problem(), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), "a patient name reached a message: " + e.getMessage());
    }

    @Test
    void aFolderOfSeveralSeriesNeedsOneNamed() throws Exception {
        String dir = fixture("two_series").toString();
        DicomException e = assertThrows(DicomException.class, () -> read(dir));
        assertEquals(Problem.SERIES_AMBIGUOUS, e.problem());
        assertTrue(e.getMessage().contains("1.2.826.0.1.3680043.10.1234.9.2.8 (3 images)"), e.getMessage());
        assertTrue(e.getMessage().contains("1.2.826.0.1.3680043.10.1234.9.2.9 (4 images)"), e.getMessage());

        DicomSeriesReader.Series s = DicomSeriesReader.read(new LocalSeriesFiles(Path.of(dir)),
                "1.2.826.0.1.3680043.10.1234.9.2.9", NiftiReader.DEFAULT_MAX_VOXELS);
        assertEquals(4, s.slices());
        assertEquals(1, s.filesSkipped(), "README.txt is skipped");
        assertEquals(7 + 100 * 3 + 10 * 4 + 5, s.ct().get(5, 4, 3), "values of the named series");
        assertEquals(s.ct().get(5, 4, 3), read(dir + "#1.2.826.0.1.3680043.10.1234.9.2.9").get(5, 4, 3));

        DicomException missing = assertThrows(DicomException.class, () -> read(dir + "#1.2.3.4"));
        assertEquals(Problem.SERIES_NOT_FOUND, missing.problem());
    }

    @Test
    void aTruncatedFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copy(fixture("unsorted"), tmp.resolve("series"));
        Path victim = dir.resolve("b");
        byte[] b = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(b, b.length - 20));
        DicomException e = assertThrows(DicomException.class, () -> read(dir.toString()));
        assertEquals(Problem.TRUNCATED, e.problem());
        assertTrue(e.getMessage().startsWith(victim.toString()), e.getMessage());
    }

    @Test
    void anUnsupportedSyntaxIsNamedWithItsUid(@TempDir Path tmp) throws Exception {
        Path dir = copy(fixture("unsorted"), tmp.resolve("series"));
        Path victim = dir.resolve("a");
        byte[] b = Files.readAllBytes(victim);
        replace(b, "1.2.840.10008.1.2.1\0", "1.2.840.10008.1.2.2\0");
        Files.write(victim, b);
        DicomException e = assertThrows(DicomException.class, () -> read(dir.toString()));
        assertEquals(Problem.UNSUPPORTED_TRANSFER_SYNTAX, e.problem());
        assertTrue(e.getMessage().startsWith(victim.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("1.2.840.10008.1.2.2"), e.getMessage());
    }

    @Test
    void aFolderWithoutDicomIsNamed(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "hello");
        DicomException e = assertThrows(DicomException.class, () -> read(tmp.toString()));
        assertEquals(Problem.NO_DICOM_FILES, e.problem());
        assertTrue(e.getMessage().startsWith(tmp.toString()) && e.getMessage().contains("1 file"), e.getMessage());
    }

    @Test
    void patientNamesAreNeverKept() throws Exception {
        Path file = fixture("unsorted").resolve("a");
        assertTrue(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("SECRET^FIXTURE^NAME"), "the fixture carries a patient name");
        DicomFile f;
        try (var in = Files.newInputStream(file)) {
            f = DicomFileReader.read(in, file.toString(), true);
        }
        assertFalse(f.attributes().has(0x00100010), "PatientName must not be kept");
        assertEquals("FIX0001", f.attributes().string(Tag.PATIENT_ID));
        assertFalse(f.attributes().toString().contains("FIX0001"), "toString prints tags, not values");
    }

    static void replace(byte[] b, String from, String to) {
        byte[] f = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + f.length <= b.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (b[i + j] != f[j]) {
                    continue outer;
                }
            }
            System.arraycopy(t, 0, b, i, t.length);
            return;
        }
        throw new AssertionError("not found: " + from);
    }

    static CtVolume read(String location) {
        return CtReader.readLocal(ImageRef.parse(location));
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(DicomFixturesTest.class.getResource("/dicom/" + name).toURI());
    }
}
