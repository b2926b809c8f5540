package io.ctcohort.engine.dicom;

import static org.junit.jupiter.api.Assertions.*;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Series;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Study;
import io.ctcohort.engine.dicom.DicomSeriesWriter.WrittenSeries;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomSeriesWriterTest {
    static final int IMAGE_TYPE = 0x00080008;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int PATIENT_NAME = 0x00100010;
    static final int PATIENT_AGE = 0x00101010;
    static final int SLICE_THICKNESS = 0x00180050;
    static final int STUDY_UID = 0x0020000D;
    static final int SERIES_UID = 0x0020000E;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IPP = 0x00200032;
    static final int IOP = 0x00200037;
    static final int FRAME_OF_REFERENCE_UID = 0x00200052;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int PIXEL_DATA = 0x7FE00010;

    static final Study STUDY = new Study("test-exam", "CTC0042", "PHANTOMNAME^CTC0042", "F", 7,
            LocalDate.of(2017, 6, 1), LocalDate.of(2024, 5, 31), "ACC42", "CT ABDOMEN", "CTCOHORT", "ABDOMEN");
    static final Series MAIN = Series.axial(2, "ABDOMEN 2.5 B30f", "B30f");

    /** A small volume with distinct values, an oblique and mirrored (det < 0) anisotropic affine. */
    static CtVolume obliqueVolume() {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        double[] dx = {0.7 * c, 0.7 * s, 0};
        double[] dy = {-0.8 * s, 0.8 * c, 0};
        double[] dz = {0, 0, -2.5}; // slices run toward the feet, as in LPI files
        double[] a = {dx[0], dy[0], dz[0], -123.456789012, dx[1], dy[1], dz[1], 87.654321098, dx[2], dy[2], dz[2],
            -1043.21, 0, 0, 0, 1};
        Geometry g = new Geometry(5, 4, 3, a, new double[] {0.7, 0.8, 2.5});
        short[] hu = new short[60];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (i * 97 - 1024);
        }
        hu[7] = Short.MIN_VALUE;
        hu[8] = Short.MAX_VALUE;
        return new CtVolume(g, hu);
    }

    @Test
    void writesOnePart10FilePerSliceWithTheHeaderAndPixels(@TempDir Path tmp) throws Exception {
        CtVolume ct = obliqueVolume();
        WrittenSeries w = DicomSeriesWriter.write(ct, STUDY, MAIN, tmp.resolve("series"));
        assertEquals(3, w.files().size());
        try (Stream<Path> files = Files.list(tmp.resolve("series"))) {
            assertEquals(3, files.count());
        }
        for (int k = 0; k < 3; k++) {
            Path f = w.files().get(k);
            TinyDicomParser p = TinyDicomParser.parse(f);
            assertEquals(p.string(SOP_INSTANCE_UID) + ".dcm", f.getFileName().toString());
            assertEquals(p.string(SOP_INSTANCE_UID), p.string(0x00020003));
            assertEquals("1.2.840.10008.1.2.1", p.string(0x00020010));
            assertEquals("1.2.840.10008.5.1.4.1.1.2", p.string(0x00020002));
            assertEquals("1.2.840.10008.5.1.4.1.1.2", p.string(0x00080016));
            assertArrayEquals(new byte[] {0, 1}, p.raw(0x00020001));
            assertEquals(k + 1, p.integer(INSTANCE_NUMBER));
            assertEquals(w.seriesInstanceUid(), p.string(SERIES_UID));
            assertEquals(STUDY.studyInstanceUid(), p.string(STUDY_UID));
            assertEquals("ORIGINAL\\PRIMARY\\AXIAL", p.string(IMAGE_TYPE));
            assertEquals("CT", p.string(0x00080060));
            assertEquals("PHANTOMNAME^CTC0042", p.string(PATIENT_NAME));
            assertEquals("CTC0042", p.string(0x00100020));
            assertEquals("F", p.string(0x00100040));
            assertEquals("007Y", p.string(PATIENT_AGE));
            assertEquals("20170601", p.string(0x00100030));
            assertEquals("20240531", p.string(0x00080020));
            assertEquals("B30f", p.string(0x00181210));
            assertEquals("ABDOMEN", p.string(0x00180015));
            assertEquals(4, p.us(ROWS));
            assertEquals(5, p.us(COLUMNS));
            assertEquals(16, p.us(0x00280100));
            assertEquals(16, p.us(0x00280101));
            assertEquals(15, p.us(0x00280102));
            assertEquals(1, p.us(0x00280103));
            assertEquals("MONOCHROME2", p.string(0x00280004));
            assertEquals("0", p.string(0x00281052));
            assertEquals("1", p.string(0x00281053));
            assertEquals("HU", p.string(0x00281054));
            assertEquals(2.5, p.doubles(SLICE_THICKNESS)[0]);
            // Column i fastest, row j next: the slice is the volume's plane k as is.
            short[] pixels = new short[20];
            ByteBuffer.wrap(p.raw(PIXEL_DATA)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pixels);
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(ct.get(i, j, k), pixels[i + 5 * j]);
                }
            }
        }
    }

    @Test
    void writesPhysicianAndInstitutionThatTheReaderNeverKeeps(@TempDir Path tmp) throws Exception {
        Study staffed = new Study("staffed", "MRN55", "PLANTED^NAME", "M", 93, LocalDate.of(1931, 3, 4),
                LocalDate.of(2024, 5, 31), "ACC55", "CT", "CTCOHORT", "ABDOMEN", "REFERRER^GREGORY",
                "SAINT PLANTED HOSPITAL");
        Path f = DicomSeriesWriter.write(obliqueVolume(), staffed, MAIN, tmp.resolve("s")).files().get(0);
        TinyDicomParser p = TinyDicomParser.parse(f);
        assertEquals("REFERRER^GREGORY", p.string(0x00080090));
        assertEquals("SAINT PLANTED HOSPITAL", p.string(0x00080080));
        assertEquals("093Y", p.string(PATIENT_AGE));
        DicomAttributes a;
        try (java.io.InputStream in = Files.newInputStream(f)) {
            a = DicomFileReader.read(in, "s/" + f.getFileName(), false).attributes();
        }
        for (int tag : new int[] {0x00080080, 0x00080090, PATIENT_NAME, 0x00080050}) {
            assertFalse(a.has(tag), Tag.toString(tag) + " is skipped unread");
        }
        assertEquals(93.0, PatientAge.years(a));
        // Without them the files are what they always were: an empty physician (type 2), no institution.
        Path plainFile = DicomSeriesWriter.write(obliqueVolume(), STUDY, MAIN, tmp.resolve("plain")).files().get(0);
        TinyDicomParser plain = TinyDicomParser.parse(plainFile);
        assertEquals("", plain.string(0x00080090));
        assertFalse(new String(Files.readAllBytes(plainFile), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("\u0008\u0000\u0080\u0000LO"), "no InstitutionName element");
    }

    @Test
    void padsUidsWithNulAndTextWithSpace(@TempDir Path tmp) throws Exception {
        // "2.25." + 39 digits = 44 (even) for most names; pick values of odd length to see the padding.
        Study odd = new Study("k", "ID1", "PHANTOMNAME^ABC", "M", 63, null, LocalDate.of(2020, 1, 2), "", "", "X",
                "ABDOMEN");
        TinyDicomParser p = TinyDicomParser.parse(DicomSeriesWriter.write(obliqueVolume(), odd, MAIN,
                tmp).files().get(0));
        byte[] transferSyntax = p.raw(0x00020010); // "1.2.840.10008.1.2.1": 19 characters
        assertEquals(20, transferSyntax.length);
        assertEquals(0, transferSyntax[19]);
        byte[] name = p.raw(PATIENT_NAME); // 15 characters
        assertEquals(16, name.length);
        assertEquals(' ', name[15]);
        assertEquals(4, p.raw(0x00100020).length); // "ID1 "
        assertEquals(0, p.raw(0x00100030).length); // no birth date: empty, type 2
        assertEquals(0, p.raw(0x00080030).length); // StudyTime, type 2
        assertEquals("063Y", p.string(PATIENT_AGE));
        for (int tag : new int[] {STUDY_UID, SERIES_UID, SOP_INSTANCE_UID, FRAME_OF_REFERENCE_UID}) {
            String uid = p.string(tag);
            assertTrue(uid.matches("2\\.25\\.[1-9][0-9]*") && uid.length() <= 64, uid);
        }
    }

    /** World geometry rebuilt the way readers do (dicom2nifti's create_affine) equals the affine to 1e-9 mm. */
    @Test
    void obliqueMirroredGeometryRoundTripsThroughIopIppAndPixelSpacing(@TempDir Path tmp) throws Exception {
        CtVolume ct = obliqueVolume();
        List<Path> files = DicomSeriesWriter.write(ct, STUDY, MAIN, tmp).files();
        TinyDicomParser first = TinyDicomParser.parse(files.get(0));
        TinyDicomParser last = TinyDicomParser.parse(files.get(files.size() - 1));
        double[] iop = first.doubles(IOP);
        double[] spacing = first.doubles(PIXEL_SPACING); // row spacing (along j), column spacing (along i)
        double[] p0 = first.doubles(IPP);
        double[] pn = last.doubles(IPP);
        int n = files.size();
        double[] a = ct.geometry().affine();
        for (int r = 0; r < 3; r++) {
            double flip = r < 2 ? -1 : 1; // LPS -> RAS
            assertEquals(a[4 * r], flip * iop[r] * spacing[1], 1e-9, "column 0, row " + r);
            assertEquals(a[4 * r + 1], flip * iop[3 + r] * spacing[0], 1e-9, "column 1, row " + r);
            assertEquals(a[4 * r + 2], flip * (pn[r] - p0[r]) / (n - 1), 1e-9, "column 2, row " + r);
            assertEquals(a[4 * r + 3], flip * p0[r], 1e-9, "origin, row " + r);
        }
        assertEquals(0.7, spacing[1], 1e-12);
        assertEquals(0.8, spacing[0], 1e-12);
        for (int k = 0; k < n; k++) {
            TinyDicomParser p = TinyDicomParser.parse(files.get(k));
            for (int tag : new int[] {IPP, IOP, PIXEL_SPACING, SLICE_THICKNESS}) {
                for (String v : p.string(tag).split("\\\\")) {
                    assertTrue(v.length() <= 16, v);
                }
            }
        }
    }

    @Test
    void sameInputsWriteTheSameBytes(@TempDir Path tmp) throws Exception {
        CtVolume ct = obliqueVolume();
        List<Path> a = DicomSeriesWriter.write(ct, STUDY, MAIN, tmp.resolve("a")).files();
        List<Path> b = DicomSeriesWriter.write(ct, STUDY, MAIN, tmp.resolve("b")).files();
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.get(k).getFileName(), b.get(k).getFileName());
            assertArrayEquals(Files.readAllBytes(a.get(k)), Files.readAllBytes(b.get(k)));
        }
        Study other = new Study("other-exam", STUDY.patientId(), STUDY.patientName(), STUDY.patientSex(),
                STUDY.patientAge(), STUDY.patientBirthDate(), STUDY.studyDate(), STUDY.accessionNumber(),
                STUDY.studyDescription(), STUDY.manufacturer(), STUDY.bodyPart());
        WrittenSeries c = DicomSeriesWriter.write(ct, other, MAIN, tmp.resolve("c"));
        assertNotEquals(other.studyInstanceUid(), STUDY.studyInstanceUid());
        assertNotEquals(c.seriesInstanceUid(), DicomSeriesWriter.seriesInstanceUid(STUDY, MAIN));
        assertNotEquals(c.files().get(0).getFileName(), a.get(0).getFileName());
    }

    @Test
    void refusesAShearedAffine(@TempDir Path tmp) {
        double[] a = {1, 0, 0.2, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1}; // slices tilted along x (gantry tilt)
        CtVolume ct = CtVolume.allocate(new Geometry(4, 4, 3, a, new double[] {1, 1, 3}));
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> DicomSeriesWriter.write(ct, STUDY, MAIN, tmp.resolve("sheared")));
        assertTrue(e.getMessage().contains("columns 0 and 2 are not orthogonal"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("sheared")), "nothing written");
    }

    @Test
    void tinyRotationErrorsOfFloat32AffinesAreStillWritten(@TempDir Path tmp) {
        // A rotation rounded to float32, as NIfTI stores it: orthogonal to about 1e-8, not sheared.
        double t = 0.4;
        float[] f = {(float) Math.cos(t), (float) -Math.sin(t), (float) Math.sin(t), (float) Math.cos(t)};
        double[] a = {f[0] * 0.9, f[1] * 0.9, 0, 10, f[2] * 0.9, f[3] * 0.9, 0, 20, 0, 0, 2, 30, 0, 0, 0, 1};
        CtVolume ct = CtVolume.allocate(new Geometry(3, 3, 2, a, new double[] {0.9, 0.9, 2}));
        assertEquals(2, DicomSeriesWriter.write(ct, STUDY, MAIN, tmp).files().size());
    }

    @Test
    void refusesValuesThatBreakTheirVrWithoutEchoingNames(@TempDir Path tmp) {
        CtVolume ct = obliqueVolume();
        Study lowercaseSex = new Study("x", "ID", "PHANTOMNAME^X", "f", 40, null, LocalDate.of(2020, 1, 1), "", "",
                "", "ABDOMEN");
        CtCohortException e = assertThrows(CtCohortException.class,
                () -> DicomSeriesWriter.write(ct, lowercaseSex, MAIN, tmp.resolve("a")));
        assertTrue(e.getMessage().contains("(0010,0040) CS: 'f' is not a valid CS"), e.getMessage());

        String longName = "PHANTOMNAME^" + "Y".repeat(60);
        Study tooLong = new Study("x", "ID", longName, "F", 40, null, LocalDate.of(2020, 1, 1), "", "", "", "");
        e = assertThrows(CtCohortException.class, () -> DicomSeriesWriter.write(ct, tooLong, MAIN, tmp.resolve("b")));
        assertTrue(e.getMessage().contains("(0010,0010) PN"), e.getMessage());
        assertFalse(e.getMessage().contains("PHANTOMNAME"), "a patient name must not reach an error message");

        Series longKernel = Series.axial(1, "x", "B30f-AND-MORE-THAN-16");
        e = assertThrows(CtCohortException.class, () -> DicomSeriesWriter.write(ct, STUDY, longKernel,
                tmp.resolve("c")));
        assertTrue(e.getMessage().contains("(0018,1210) SH"), e.getMessage());
    }

    @Test
    void multiSeriesStudyWritesLocalizerMainAndLungSeries(@TempDir Path tmp) throws Exception {
        CtVolume ct = obliqueVolume(); // 3 slices of 2.5 mm
        List<WrittenSeries> s = MultiSeriesStudy.write(ct, STUDY, tmp);
        assertEquals(List.of(1, 3, 2), s.stream().map(w -> w.files().size()).toList());
        assertEquals(List.of(tmp.resolve("s1"), tmp.resolve("s2"), tmp.resolve("s3")),
                s.stream().map(WrittenSeries::folder).toList());
        TinyDicomParser localizer = TinyDicomParser.parse(s.get(0).files().get(0));
        TinyDicomParser main0 = TinyDicomParser.parse(s.get(1).files().get(0));
        TinyDicomParser main2 = TinyDicomParser.parse(s.get(1).files().get(2));
        TinyDicomParser lung1 = TinyDicomParser.parse(s.get(2).files().get(1));
        assertEquals("ORIGINAL\\PRIMARY\\LOCALIZER", localizer.string(IMAGE_TYPE));
        assertFalse(localizer.has(0x00281054)); // RescaleType: dciodvfy wants no HU on a localizer
        assertEquals("ABDOMEN 2.5 B30f", main0.string(0x0008103E));
        assertEquals("LUNG 5.0 B70f", lung1.string(0x0008103E));
        assertEquals("B70f", lung1.string(0x00181210));
        assertEquals(5.0, lung1.doubles(SLICE_THICKNESS)[0], 1e-12);
        assertArrayEquals(main2.doubles(IPP), lung1.doubles(IPP), 1e-9); // lung slice 1 = main slice 2
        assertArrayEquals(main2.raw(PIXEL_DATA), lung1.raw(PIXEL_DATA));
        assertArrayEquals(main0.raw(PIXEL_DATA), localizer.raw(PIXEL_DATA));
        for (TinyDicomParser p : List.of(localizer, main0, lung1)) {
            assertEquals(STUDY.studyInstanceUid(), p.string(STUDY_UID));
            assertEquals(STUDY.frameOfReferenceUid(), p.string(FRAME_OF_REFERENCE_UID));
        }
        assertEquals(3, s.stream().map(WrittenSeries::seriesInstanceUid).distinct().count());
    }
}
