package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same phantom cohort written as NIfTI and as DICOM (synth --format dicom): catalog the DICOM
 * archive, segment both, analyze both. Every measurement and every age effect must be the same,
 * whatever orientation each phantom was stored in (the DICOM reader stacks slices along their
 * normal, the NIfTI keeps the file's order; the engine canonicalizes both).
 */
class DicomPhantomRouteTest {
    private static final int EXAMS = 4;
    @TempDir
    Path tmp;

    @Test
    void catalogSegmentAnalyzeOnDicomEqualsTheNiftiRoute() throws Exception {
        Path nifti = tmp.resolve("nifti");
        Path dicom = tmp.resolve("dicom");
        new CohortWriter(new PhantomGenerator(5), 2, CohortWriter.ImageFormat.NIFTI).write(nifti, EXAMS, false);
        new CohortWriter(new PhantomGenerator(5), 2, CohortWriter.ImageFormat.DICOM).write(dicom, EXAMS, false);
        SparkSession spark = TestSpark.get();

        CatalogJob.Summary c = new CatalogJob(spark, SelectionRules.DEFAULT, System.err)
                .run(dicom.resolve("images").toString(), tmp.resolve("catalog").toString());
        assertEquals(EXAMS, c.studies());
        assertEquals(EXAMS, c.selected());

        Map<String, String> niftiRun = segmentAndAnalyze(nifti.resolve("manifest.csv"), tmp.resolve("out-nifti"));
        Map<String, String> dicomRun = segmentAndAnalyze(tmp.resolve("catalog").resolve("manifest.csv"),
                tmp.resolve("out-dicom"));
        assertEquals(niftiRun.size(), dicomRun.size());
        int measurements = 0;
        for (Map.Entry<String, String> e : niftiRun.entrySet()) {
            String dicomValue = dicomRun.get(e.getKey());
            if (e.getKey().startsWith("effect/")) {
                // Fits see the rows in another order (exam ids differ): equal to rounding.
                String[] a = e.getValue().split(" ");
                String[] b = dicomValue.split(" ");
                assertEquals(a[0], b[0], e.getKey() + ": n");
                for (int i = 1; i < a.length; i++) {
                    double x = Double.parseDouble(a[i]);
                    double y = Double.parseDouble(b[i]);
                    if (Double.isNaN(x)) {
                        assertTrue(Double.isNaN(y), e.getKey() + ": NaN in both");
                    } else {
                        assertEquals(x, y, 1e-9 * Math.max(1, Math.abs(x)), e.getKey());
                    }
                }
            } else {
                assertEquals(e.getValue(), dicomValue, e.getKey());
            }
            measurements += e.getKey().startsWith("m/") ? 1 : 0;
        }
        assertTrue(measurements >= EXAMS * 10, "measurement rows compared: " + measurements);
        assertTrue(niftiRun.keySet().stream().anyMatch(k -> k.startsWith("effect/")), "age effects compared");
        assertNoPhantomName(tmp.resolve("catalog"));
        assertNoPhantomName(tmp.resolve("out-dicom"));
    }

    /** Rows keyed by patient (exam ids differ between the routes): measurements, exam geometry, age effects. */
    private static Map<String, String> segmentAndAnalyze(Path manifest, Path out) throws Exception {
        SparkSession spark = TestSpark.get();
        // Inside the custodian's walls (the catalog kept the archive's UIDs): exams are compared by patient id.
        RunSummary s = new CohortJob(spark, TestModels.analyzer(), CohortJob.Options.of(manifest.toString(),
                out.toString(), false), Deidentification.KEEP, System.err).run();
        assertEquals(EXAMS, s.ok());
        String run = out.resolve("runs").resolve(s.runId()).toString();
        Map<String, String> patientOf = new HashMap<>();
        Map<String, String> rows = new TreeMap<>();
        for (Row r : spark.read().parquet(run + "/exams").collectAsList()) {
            patientOf.put(r.getAs("exam_id"), r.getAs("patient_id"));
            // The DICOM series is axial, the NIfTI in the phantom's stored orientation: the same grid permuted.
            int[] dims = {r.getAs("dim_x"), r.getAs("dim_y"), r.getAs("dim_z")};
            java.util.Arrays.sort(dims);
            rows.put("e/" + r.getAs("patient_id"), r.getAs("age") + " " + r.getAs("sex") + " "
                    + java.util.Arrays.toString(dims));
        }
        for (Row r : spark.read().parquet(run + "/measurements").collectAsList()) {
            rows.put("m/" + patientOf.get((String) r.getAs("exam_id")) + "/" + r.getAs("structure"),
                    r.getAs("voxel_count") + " " + r.getAs("volume_ml") + " " + r.getAs("hu_mean") + " "
                            + r.getAs("hu_std") + " " + r.getAs("touches_border"));
        }
        AnalyzeJob.run(spark, out.toString(), null, null, StudyOptions.defaults());
        for (Row r : spark.read().parquet(run + "/age_effects").collectAsList()) {
            rows.put("effect/" + r.getAs("structure") + "/" + r.getAs("metric") + "/" + r.getAs("stratum"),
                    r.getAs("n") + " " + r.getAs("beta_age") + " " + r.getAs("spearman_rho"));
        }
        return rows;
    }

    private static void assertNoPhantomName(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(CohortWriter.PATIENT_NAME_MARKER), p + " holds a patient name");
            }
        }
    }
}
