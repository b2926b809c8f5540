package io.ctcohort.engine.dicom;

import static io.ctcohort.engine.dicom.DataSetWriter.tag;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.dicom.DataSetWriter.Vr;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a {@link CtVolume} as one DICOM CT series: one Part 10 file per z-slice (CT Image Storage,
 * explicit VR little endian, signed 16-bit HU with slope 1 and intercept 0), named
 * {@code <SOPInstanceUID>.dcm}. Voxel (i, j, k) becomes column i, row j of instance k + 1; the
 * geometry is {@link SliceGeometry}'s. UIDs derive from {@link Study#uidKey()} and the series
 * number ({@link DicomUids}), so the same inputs give byte-identical files.
 *
 * <p>A study of several series (what an archive holds) is several calls with one {@link Study} and
 * different {@link Series}: they share the StudyInstanceUID and FrameOfReferenceUID. Since file names
 * are SOP instance UIDs, the series may share one folder or take one each:
 * <pre>{@code
 * Study study = new Study("exam-17", "CTC0017", "PHANTOMNAME^CTC0017", "F", 63, birth, date,
 *         "ACC17", "CT ABDOMEN", "CTCOHORT", "ABDOMEN");
 * DicomSeriesWriter.write(ct, study, Series.axial(2, "ABDOMEN 3.0 B30f", "B30f"), dir.resolve("s2"));
 * DicomSeriesWriter.write(MultiSeriesStudy.slices(ct, 0, 2, ct.geometry().nz() / 2), study,
 *         Series.axial(3, "LUNG 6.0 B70f", "B70f"), dir.resolve("s3"));
 * }</pre>
 * {@link MultiSeriesStudy#write} does exactly this for a localizer, the main series and a lung series.
 */
public final class DicomSeriesWriter {
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final byte[] PREAMBLE = new byte[128];

    private DicomSeriesWriter() {
    }

    /**
     * Patient and study attributes, the same for every series of a study.
     *
     * @param uidKey           names the study's UIDs (e.g. the exam id): same key, same UIDs
     * @param patientName      PN, e.g. {@code FAMILY^GIVEN}; ASCII
     * @param patientSex       M, F or O
     * @param patientAge       years, written as PatientAge {@code 063Y}
     * @param patientBirthDate null writes an empty (type 2) PatientBirthDate
     * @param bodyPart         BodyPartExamined, e.g. ABDOMEN
     * @param referringPhysician ReferringPhysicianName (PN); empty when null
     * @param institutionName  InstitutionName (LO); not written when null or empty
     */
    public record Study(String uidKey, String patientId, String patientName, String patientSex, int patientAge,
                        LocalDate patientBirthDate, LocalDate studyDate, String accessionNumber,
                        String studyDescription, String manufacturer, String bodyPart, String referringPhysician,
                        String institutionName) {
        /** A study without a referring physician or institution (as phantoms are written). */
        public Study(String uidKey, String patientId, String patientName, String patientSex, int patientAge,
                     LocalDate patientBirthDate, LocalDate studyDate, String accessionNumber,
                     String studyDescription, String manufacturer, String bodyPart) {
            this(uidKey, patientId, patientName, patientSex, patientAge, patientBirthDate, studyDate, accessionNumber,
                    studyDescription, manufacturer, bodyPart, null, null);
        }

        public Study {
            Objects.requireNonNull(uidKey, "uidKey");
            Objects.requireNonNull(studyDate, "studyDate");
            patientId = orEmpty(patientId);
            patientName = orEmpty(patientName);
            patientSex = orEmpty(patientSex);
            accessionNumber = orEmpty(accessionNumber);
            studyDescription = orEmpty(studyDescription);
            manufacturer = orEmpty(manufacturer);
            bodyPart = orEmpty(bodyPart);
            referringPhysician = orEmpty(referringPhysician);
            institutionName = orEmpty(institutionName);
            if (patientAge < 0 || patientAge > 999) {
                throw new IllegalArgumentException("patient age must be 0-999 years: " + patientAge);
            }
        }

        public String studyInstanceUid() {
            return DicomUids.fromName("study/" + uidKey);
        }

        public String frameOfReferenceUid() {
            return DicomUids.fromName("frame/" + uidKey);
        }
    }

    /**
     * Series attributes.
     *
     * @param imageType     ImageType values, e.g. ORIGINAL, PRIMARY, AXIAL
     * @param contrastAgent ContrastBolusAgent (0018,0010), e.g. {@code IOPAMIDOL 370}; null writes no
     *                      Contrast/Bolus attributes (the module is required only where contrast was given)
     * @param contrastRoute ContrastBolusRoute (0018,1040), e.g. {@code IV}; null writes none
     */
    public record Series(int number, String description, String convolutionKernel, List<String> imageType,
                         String contrastAgent, String contrastRoute) {
        public Series {
            description = orEmpty(description);
            convolutionKernel = orEmpty(convolutionKernel);
            imageType = List.copyOf(imageType);
        }

        /** A series without contrast attributes. */
        public Series(int number, String description, String convolutionKernel, List<String> imageType) {
            this(number, description, convolutionKernel, imageType, null, null);
        }

        /** This series with ContrastBolusAgent and ContrastBolusRoute (either may be null: not written). */
        public Series withContrast(String agent, String route) {
            return new Series(number, description, convolutionKernel, imageType, agent, route);
        }

        /** An ORIGINAL\PRIMARY\AXIAL series. */
        public static Series axial(int number, String description, String convolutionKernel) {
            return new Series(number, description, convolutionKernel, List.of("ORIGINAL", "PRIMARY", "AXIAL"));
        }

        /** An ORIGINAL\PRIMARY\LOCALIZER series (a scout; catalogs skip these). */
        public static Series localizer(int number, String description, String convolutionKernel) {
            return new Series(number, description, convolutionKernel, List.of("ORIGINAL", "PRIMARY", "LOCALIZER"));
        }
    }

    /** What one call wrote: the series UID, its folder and its files in instance order (slice k at index k). */
    public record WrittenSeries(Series series, String seriesInstanceUid, Path folder, List<Path> files) {
        public WrittenSeries {
            files = List.copyOf(files);
        }
    }

    /** Null text attributes are written empty (type 2). */
    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public static String seriesInstanceUid(Study study, Series series) {
        return DicomUids.fromName("series/" + study.uidKey() + "/" + series.number());
    }

    static String sopInstanceUid(Study study, Series series, int instanceNumber) {
        return DicomUids.fromName("instance/" + study.uidKey() + "/" + series.number() + "/" + instanceNumber);
    }

    /**
     * Writes {@code ct} into {@code folder} (created if needed), one file per slice.
     *
     * @throws CtCohortException when the affine is sheared (see {@link SliceGeometry}), a value breaks
     *                           its VR's rules, or a file cannot be written
     */
    public static WrittenSeries write(CtVolume ct, Study study, Series series, Path folder) {
        Geometry g = ct.geometry();
        SliceGeometry sg;
        try {
            sg = SliceGeometry.of(g);
        } catch (IllegalArgumentException e) {
            throw new CtCohortException("cannot write " + folder + " as DICOM: " + e.getMessage(), e);
        }
        String seriesUid = seriesInstanceUid(study, series);
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (int k = 0; k < g.nz(); k++) {
                String sopUid = sopInstanceUid(study, series, k + 1);
                Path file = folder.resolve(sopUid + ".dcm");
                byte[] meta = fileMeta(sopUid);
                byte[] dataSet = dataSet(ct, sg, study, series, seriesUid, sopUid, k);
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    out.write(PREAMBLE);
                    out.write("DICM".getBytes(StandardCharsets.US_ASCII));
                    out.write(new DataSetWriter().ul(tag(0x0002, 0x0000), meta.length).toByteArray());
                    out.write(meta);
                    out.write(dataSet);
                }
                files.add(file);
            }
        } catch (IllegalArgumentException e) {
            throw new CtCohortException("cannot write " + folder + " as DICOM: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CtCohortException("cannot write DICOM series to " + folder + ": " + e.getMessage(), e);
        }
        return new WrittenSeries(series, seriesUid, folder, files);
    }

    /** Group 0002 after its group length. */
    private static byte[] fileMeta(String sopUid) {
        return new DataSetWriter()
                .ob(tag(0x0002, 0x0001), new byte[] {0, 1})
                .text(tag(0x0002, 0x0002), Vr.UI, CT_IMAGE_STORAGE)
                .text(tag(0x0002, 0x0003), Vr.UI, sopUid)
                .text(tag(0x0002, 0x0010), Vr.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid())
                .text(tag(0x0002, 0x0012), Vr.UI, DicomUids.IMPLEMENTATION_CLASS_UID)
                .text(tag(0x0002, 0x0013), Vr.SH, "CTCOHORT")
                .toByteArray();
    }

    private static byte[] dataSet(CtVolume ct, SliceGeometry sg, Study study, Series series, String seriesUid,
                                  String sopUid, int k) {
        Geometry g = ct.geometry();
        String studyDate = DA.format(study.studyDate());
        int pixels = g.nx() * g.ny();
        DataSetWriter w = new DataSetWriter()
                .text(tag(0x0008, 0x0008), Vr.CS, series.imageType().toArray(String[]::new))
                .text(tag(0x0008, 0x0016), Vr.UI, CT_IMAGE_STORAGE)
                .text(tag(0x0008, 0x0018), Vr.UI, sopUid)
                .text(tag(0x0008, 0x0020), Vr.DA, studyDate)
                .text(tag(0x0008, 0x0021), Vr.DA, studyDate)
                .text(tag(0x0008, 0x0023), Vr.DA, studyDate)
                .text(tag(0x0008, 0x0030), Vr.TM, "") // StudyTime, type 2: phantoms have no time of day
                .text(tag(0x0008, 0x0050), Vr.SH, study.accessionNumber())
                .text(tag(0x0008, 0x0060), Vr.CS, "CT")
                .text(tag(0x0008, 0x0070), Vr.LO, study.manufacturer());
        if (!study.institutionName().isEmpty()) {
            w.text(tag(0x0008, 0x0080), Vr.LO, study.institutionName()); // InstitutionName, type 3
        }
        w.text(tag(0x0008, 0x0090), Vr.PN, study.referringPhysician()) // ReferringPhysicianName, type 2
                .text(tag(0x0008, 0x1030), Vr.LO, study.studyDescription())
                .text(tag(0x0008, 0x103E), Vr.LO, series.description())
                .text(tag(0x0010, 0x0010), Vr.PN, study.patientName())
                .text(tag(0x0010, 0x0020), Vr.LO, study.patientId())
                .text(tag(0x0010, 0x0030), Vr.DA,
                        study.patientBirthDate() == null ? "" : DA.format(study.patientBirthDate()))
                .text(tag(0x0010, 0x0040), Vr.CS, study.patientSex())
                .text(tag(0x0010, 0x1010), Vr.AS, String.format(Locale.ROOT, "%03dY", study.patientAge()));
        if (series.contrastAgent() != null) {
            w.text(tag(0x0018, 0x0010), Vr.LO, series.contrastAgent());
        }
        w.text(tag(0x0018, 0x0015), Vr.CS, study.bodyPart())
                .ds(tag(0x0018, 0x0050), sg.sliceSpacing())
                .text(tag(0x0018, 0x0060), Vr.DS, ""); // KVP, type 2: unknown for a written volume
        if (series.contrastRoute() != null) {
            w.text(tag(0x0018, 0x1040), Vr.LO, series.contrastRoute());
        }
        w.text(tag(0x0018, 0x1210), Vr.SH, series.convolutionKernel())
                .text(tag(0x0018, 0x5100), Vr.CS, "") // PatientPosition, type 2C: unknown
                .text(tag(0x0020, 0x000D), Vr.UI, study.studyInstanceUid())
                .text(tag(0x0020, 0x000E), Vr.UI, seriesUid)
                .text(tag(0x0020, 0x0010), Vr.SH, "") // StudyID, type 2
                .is(tag(0x0020, 0x0011), series.number())
                .text(tag(0x0020, 0x0012), Vr.IS, "") // AcquisitionNumber, type 2
                .is(tag(0x0020, 0x0013), k + 1)
                .ds(tag(0x0020, 0x0032), sg.position(k))
                .ds(tag(0x0020, 0x0037), sg.orientation())
                .text(tag(0x0020, 0x0052), Vr.UI, study.frameOfReferenceUid())
                .text(tag(0x0020, 0x1040), Vr.LO, "") // PositionReferenceIndicator, type 2
                .us(tag(0x0028, 0x0002), 1)
                .text(tag(0x0028, 0x0004), Vr.CS, "MONOCHROME2")
                .us(tag(0x0028, 0x0010), g.ny())
                .us(tag(0x0028, 0x0011), g.nx())
                .ds(tag(0x0028, 0x0030), sg.rowSpacing(), sg.columnSpacing())
                .us(tag(0x0028, 0x0100), 16)
                .us(tag(0x0028, 0x0101), 16)
                .us(tag(0x0028, 0x0102), 15)
                .us(tag(0x0028, 0x0103), 1)
                .ds(tag(0x0028, 0x1052), 0)
                .ds(tag(0x0028, 0x1053), 1);
        if (!series.imageType().contains("LOCALIZER")) {
            // RescaleType is optional for HU; dciodvfy warns when a localizer labels its values HU.
            w.text(tag(0x0028, 0x1054), Vr.LO, "HU");
        }
        w.ow(tag(0x7FE0, 0x0010), ct.hu(), k * pixels, pixels);
        return w.toByteArray();
    }
}
