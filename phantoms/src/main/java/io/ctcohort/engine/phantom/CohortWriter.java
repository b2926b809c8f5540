package io.ctcohort.engine.phantom;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.dicom.DicomSeriesWriter;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Reorientation;
import io.ctcohort.engine.nifti.NiftiWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a phantom cohort to a folder:
 * <pre>
 * images/&lt;exam_id&gt;.nii.gz    the CTs (int16 HU), or with {@link ImageFormat#DICOM}
 * images/&lt;exam_id&gt;/           one DICOM CT series per exam, one file per slice
 * labels/&lt;exam_id&gt;.nii.gz    the true label maps (uint8, TotalSegmentator total v2 indices)
 * manifest.csv               exam_id, patient_id, image_uri, age, sex, scan_date
 * manifest_masks.csv         the same plus mask_uri (for measuring the true masks)
 * truth.csv                  one row per exam and structure (see {@link StructureTruth}), with the
 *                            exam's true contrast_phase
 * truth_biomarkers.csv       one row per exam, biomarker and site: the planted biomarker values
 *                            (see {@link BiomarkerTruth}) and the true contrast_phase
 * </pre>
 * The manifests never hold the contrast phase: a pipeline run on the cohort has to estimate it.
 * Exams are generated and their images written in parallel, each exam's files depending on that
 * exam alone; the CSVs are written in exam order, so output is byte-identical for a seed whatever
 * the thread count.
 *
 * <p>DICOM series carry the phantom's demographics (PatientID = patient_id, sex, age, StudyDate =
 * scan_date, a birth date consistent with the age) and a fake PatientName that always contains
 * {@link #PATIENT_NAME_MARKER}, so privacy tests can grep any output for it. The slices are axial,
 * as a scanner writes them: the CT is reoriented to RAS first (a permutation, no interpolation),
 * while the labels stay NIfTI in the phantom's stored orientation; match the two by their affines.
 */
public final class CohortWriter {
    static final String TRUTH_HEADER = "exam_id,age,sex,structure,label,voxel_count,volume_ml,hu_mean,hu_mean_clean,"
            + "touches_border,cut_top,cut_bottom,orientation,contrast_phase";
    static final String BIOMARKER_TRUTH_HEADER = "exam_id,age,sex,contrast_phase,biomarker,site,value,unit";

    /** Every synthetic DICOM PatientName contains this; no real name does. */
    public static final String PATIENT_NAME_MARKER = "PHANTOMNAME";
    private static final DicomSeriesWriter.Series PHANTOM_SERIES =
            DicomSeriesWriter.Series.axial(1, "SYNTHETIC PHANTOM B30f", "B30f");

    /** How the CTs are written; labels are NIfTI either way. */
    public enum ImageFormat {
        NIFTI, DICOM
    }

    private final PhantomGenerator generator;
    private final int threads;
    private final ImageFormat format;

    public CohortWriter(PhantomGenerator generator, int threads) {
        this(generator, threads, ImageFormat.NIFTI);
    }

    public CohortWriter(PhantomGenerator generator, int threads, ImageFormat format) {
        this.generator = generator;
        this.threads = Math.max(1, threads);
        this.format = format;
    }

    /**
     * Writes exams [0, n); with {@code truthOnly} only truth.csv and truth_biomarkers.csv (no images,
     * no noise: hu_mean empty).
     */
    public void write(Path dir, int n, boolean truthOnly) {
        try {
            Path abs = dir.toAbsolutePath().normalize();
            Path images = abs.resolve("images");
            Path labels = abs.resolve("labels");
            Files.createDirectories(abs);
            if (!truthOnly) {
                Files.createDirectories(images);
                Files.createDirectories(labels);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<PhantomExam>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        if (truthOnly) {
                            return generator.truthOnly(index);
                        }
                        PhantomExam e = generator.generate(index);
                        if (format == ImageFormat.DICOM) {
                            // A scanner writes axial slices: the stored orientation is a NIfTI matter.
                            CtVolume axial = Reorientation.toCanonical(e.ct().geometry()).apply(e.ct());
                            DicomSeriesWriter.write(axial, dicomStudy(e), PHANTOM_SERIES, images.resolve(e.examId()));
                        } else {
                            NiftiWriter.write(e.ct(), images.resolve(e.examId() + ".nii.gz"));
                        }
                        NiftiWriter.write(e.labels(), labels.resolve(e.examId() + ".nii.gz"));
                        // Keep only what the CSVs need; the voxels are on disk.
                        return e.withoutVoxels();
                    }));
                }
                try (BufferedWriter manifest = truthOnly ? null : Files.newBufferedWriter(abs.resolve("manifest.csv"));
                     BufferedWriter masks = truthOnly ? null : Files.newBufferedWriter(abs.resolve("manifest_masks.csv"));
                     BufferedWriter truth = Files.newBufferedWriter(abs.resolve("truth.csv"));
                     BufferedWriter biomarkers = Files.newBufferedWriter(abs.resolve("truth_biomarkers.csv"))) {
                    if (!truthOnly) {
                        manifest.write("exam_id,patient_id,image_uri,age,sex,scan_date\n");
                        masks.write("exam_id,patient_id,image_uri,age,sex,scan_date,mask_uri\n");
                    }
                    truth.write(TRUTH_HEADER + "\n");
                    biomarkers.write(BIOMARKER_TRUTH_HEADER + "\n");
                    for (Future<PhantomExam> f : futures) {
                        PhantomExam e = f.get();
                        Demographics d = e.demographics();
                        if (!truthOnly) {
                            String row = e.examId() + "," + e.patientId() + "," + imageUri(images, e.examId()) + ","
                                    + d.age() + "," + d.sex() + "," + d.scanDate();
                            manifest.write(row + "\n");
                            masks.write(row + "," + labels.resolve(e.examId() + ".nii.gz").toUri() + "\n");
                        }
                        String phase = e.phase().value();
                        for (StructureTruth t : e.truth()) {
                            truth.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%d,%.4f,%s,%s,%b,%b,%b,%s,%s%n",
                                    e.examId(), d.age(), d.sex(), t.structure(), t.label(), t.voxelCount(),
                                    t.volumeMl(), num(t.huMean()), num(t.huMeanClean()), t.touchesBorder(),
                                    e.cutTop(), e.cutBottom(), e.orientation(), phase));
                        }
                        for (BiomarkerTruth b : e.biomarkers()) {
                            biomarkers.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%s%n", e.examId(), d.age(),
                                    d.sex(), phase, b.biomarker(), b.site(), num(b.value()), b.unit()));
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            throw new CtCohortException("cannot write phantom cohort to " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtCohortException("interrupted while writing phantom cohort to " + dir, e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new CtCohortException("phantom generation failed for " + dir + ": " + c, c);
        }
    }

    /** A .nii.gz file, or a DICOM series folder (its URI ends in '/'). */
    private String imageUri(Path images, String examId) {
        if (format == ImageFormat.DICOM) {
            String uri = images.resolve(examId).toUri().toString();
            return uri.endsWith("/") ? uri : uri + "/";
        }
        return images.resolve(examId + ".nii.gz").toUri().toString();
    }

    /** The DICOM patient and study of a phantom exam; its UIDs derive from the exam id (seed and index). */
    static DicomSeriesWriter.Study dicomStudy(PhantomExam e) {
        Demographics d = e.demographics();
        return new DicomSeriesWriter.Study(e.examId(), e.patientId(), patientName(e.patientId()), d.sex(), d.age(),
                birthDate(e.patientId(), d), d.scanDate(), "", "SYNTHETIC CT ABDOMEN", "CTCOHORT", "ABDOMEN");
    }

    /** A fake PatientName: {@code PHANTOMNAME^<patient_id>}. */
    public static String patientName(String patientId) {
        return PATIENT_NAME_MARKER + "^" + patientId;
    }

    /**
     * A birth date at which the patient is exactly {@code age} on the scan date: 0-364 days before the
     * age-th birthday, picked from the patient id so it is fixed per seed.
     */
    static LocalDate birthDate(String patientId, Demographics d) {
        return d.scanDate().minusYears(d.age()).minusDays(Math.floorMod(patientId.hashCode(), 365));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
