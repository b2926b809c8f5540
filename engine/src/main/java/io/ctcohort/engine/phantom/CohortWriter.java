package io.ctcohort.engine.phantom;

import io.ctcohort.engine.CtCohortException;
import io.ctcohort.engine.nifti.NiftiWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a phantom cohort to a folder:
 * <pre>
 * images/&lt;exam_id&gt;.nii.gz    the CTs (int16 HU)
 * labels/&lt;exam_id&gt;.nii.gz    the true label maps (uint8, TotalSegmentator total v2 indices)
 * manifest.csv               exam_id, patient_id, image_uri, age, sex, scan_date
 * manifest_masks.csv         the same plus mask_uri (for measuring the true masks)
 * truth.csv                  one row per exam and structure (see {@link StructureTruth})
 * </pre>
 * Exams are generated in parallel; files are written in exam order, so output is byte-identical
 * for a seed whatever the thread count.
 */
public final class CohortWriter {
    static final String TRUTH_HEADER = "exam_id,age,sex,structure,label,voxel_count,volume_ml,hu_mean,hu_mean_clean,"
            + "touches_border,cut_top,cut_bottom,orientation";

    private final PhantomGenerator generator;
    private final int threads;

    public CohortWriter(PhantomGenerator generator, int threads) {
        this.generator = generator;
        this.threads = Math.max(1, threads);
    }

    /** Writes exams [0, n); with {@code truthOnly} only truth.csv (no images, no noise: hu_mean empty). */
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
                        NiftiWriter.write(e.ct(), images.resolve(e.examId() + ".nii.gz"));
                        NiftiWriter.write(e.labels(), labels.resolve(e.examId() + ".nii.gz"));
                        // Keep only what the CSVs need; the voxels are on disk.
                        return new PhantomExam(e.examId(), e.patientId(), e.demographics(), null, null, e.truth(),
                                e.orientation(), e.cutTop(), e.cutBottom());
                    }));
                }
                try (BufferedWriter manifest = truthOnly ? null : Files.newBufferedWriter(abs.resolve("manifest.csv"));
                     BufferedWriter masks = truthOnly ? null : Files.newBufferedWriter(abs.resolve("manifest_masks.csv"));
                     BufferedWriter truth = Files.newBufferedWriter(abs.resolve("truth.csv"))) {
                    if (!truthOnly) {
                        manifest.write("exam_id,patient_id,image_uri,age,sex,scan_date\n");
                        masks.write("exam_id,patient_id,image_uri,age,sex,scan_date,mask_uri\n");
                    }
                    truth.write(TRUTH_HEADER + "\n");
                    for (Future<PhantomExam> f : futures) {
                        PhantomExam e = f.get();
                        Demographics d = e.demographics();
                        if (!truthOnly) {
                            String row = e.examId() + "," + e.patientId() + ","
                                    + images.resolve(e.examId() + ".nii.gz").toUri() + "," + d.age() + "," + d.sex()
                                    + "," + d.scanDate();
                            manifest.write(row + "\n");
                            masks.write(row + "," + labels.resolve(e.examId() + ".nii.gz").toUri() + "\n");
                        }
                        for (StructureTruth t : e.truth()) {
                            truth.write(String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%d,%.4f,%s,%s,%b,%b,%b,%s%n",
                                    e.examId(), d.age(), d.sex(), t.structure(), t.label(), t.voxelCount(),
                                    t.volumeMl(), num(t.huMean()), num(t.huMeanClean()), t.touchesBorder(),
                                    e.cutTop(), e.cutBottom(), e.orientation()));
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

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
