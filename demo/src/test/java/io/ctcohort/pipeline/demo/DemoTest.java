package io.ctcohort.pipeline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.model.BundledModels;
import io.ctcohort.engine.phantom.PlantedEffects;
import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.demo.PlantedComparison.Comparison;
import io.ctcohort.pipeline.demo.PlantedComparison.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end on a small phantom cohort (too small for significance, so only structure is
 * asserted): cohort files, one ok exams row per exam, the analytics tables in the run folder, the
 * report, a comparison row per planted effect (structures' and biomarkers') with truth estimates for
 * each, the biomarkers' phase-adjusted and unadjusted estimates, the manifest that carries the truth's
 * phase and a tenth of references, the phase estimator's agreement line, a re-run that
 * reuses the cohort and carries every exam over, and, with the true label maps measured in place of
 * a segmentation, recovered effects equal to the truth-fitted ones. Uses the bundled demo model, or, in a build
 * without it, the engine's 118-class test model (segmentation quality is not asserted here).
 */
class DemoTest {
    static final int EXAMS = 24;

    @TempDir
    Path tmp;

    static Path model() {
        if (BundledModels.class.getResource("/io/ctcohort/engine/models/demo/model.json") != null) {
            return null;
        }
        return Paths.get("../engine/src/test/resources/models/pointwise118_3mm").toAbsolutePath().normalize();
    }

    Demo.Result run(Path out, ByteArrayOutputStream log) throws Exception {
        return run(out, log, false);
    }

    Demo.Result run(Path out, ByteArrayOutputStream log, boolean trueMasks) throws Exception {
        Demo.Options o = new Demo.Options(EXAMS, out, 7, "local[2]", model(), 2, Map.of(), trueMasks);
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            Demo.Result r = new Demo(o, ps).run();
            System.out.println("demo stage seconds: " + r.stageSeconds());
            return r;
        }
    }

    @Test
    void smallCohortEndToEndAndIncrementalRerun() throws Exception {
        SparkSession spark = TestSpark.get();
        Path out = tmp.resolve("demo");
        ByteArrayOutputStream log1 = new ByteArrayOutputStream();
        Demo.Result r = run(out, log1);
        String text = log1.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        // Cohort: images, labels, manifest and truth for every exam.
        Path cohort = out.resolve("cohort");
        try (var images = Files.list(cohort.resolve("images"))) {
            assertEquals(EXAMS, images.count());
        }
        assertEquals(EXAMS + 1, Files.readAllLines(cohort.resolve("manifest.csv")).size());

        // Segmented run: one ok exams row per exam, measurements, and the analytics tables beside them.
        assertEquals(EXAMS, r.run().exams());
        assertEquals(EXAMS, r.run().processed());
        Path run = r.runFolder();
        Dataset<Row> exams = spark.read().parquet(run.resolve("exams").toString());
        assertEquals(EXAMS, exams.count());
        assertEquals(EXAMS, exams.filter("status = 'ok'").select("exam_id").distinct().count());
        assertTrue(spark.read().parquet(run.resolve("measurements").toString()).count() >= EXAMS);
        Dataset<Row> effects = spark.read().parquet(run.resolve("age_effects").toString());
        assertTrue(effects.filter("stratum = 'all'").count() > 0);
        assertTrue(Files.isDirectory(run.resolve("age_groups")));

        // Report and the comparison.
        assertEquals(out.resolve("report").resolve("index.html").toAbsolutePath(), r.report().toAbsolutePath());
        assertTrue(Files.size(r.report()) > 1000);
        List<Comparison> rows = r.comparison().rows();
        int planted = PlantedEffects.ALL.size() + PlantedEffects.BIOMARKERS.size();
        assertEquals(planted, rows.size());
        Set<String> names = PlantedComparison.plantedEffects().stream().map(p -> p.structure() + "/" + p.metric())
                .collect(Collectors.toSet());
        assertEquals(planted, names.size());
        assertEquals(names, rows.stream().map(c -> c.planted().structure() + "/" + c.planted().metric())
                .collect(Collectors.toSet()));
        for (Comparison c : rows) {
            // The truth fit does not depend on the model: every planted structure has rows that pass QC.
            String what = c.planted().structure() + " " + c.planted().metric();
            assertNotNull(c.truth(), "truth estimate for " + what);
            assertTrue(c.truth().n() >= 5, what + ": n " + c.truth().n());
            assertTrue(Double.isFinite(c.truth().beta()), what);
        }
        // The biomarker rows: the segmented run's estimates, finite, each with its fit unadjusted for phase
        // (the cohort mixes phases, so attenuation metrics are adjusted), the truth's adjusted alike.
        List<Comparison> biomarkers = r.comparison().rows(Kind.BIOMARKER);
        assertEquals(PlantedEffects.BIOMARKERS.size(), biomarkers.size());
        for (Comparison c : biomarkers) {
            String what = c.planted().structure() + " " + c.planted().metric();
            assertNotNull(c.segmented(), what);
            assertTrue(c.segmented().isFinite() && c.segmented().n() >= 5, what + ": " + c.segmented());
            assertNotNull(c.unadjusted(), what + ": phase adjusted, so an unadjusted fit beside it");
            assertTrue(c.unadjusted().isFinite(), what);
            assertNotNull(c.truth().unadjusted(), what);
            assertTrue(text.contains(c.planted().metric()), what);
        }
        List<String> csv = Files.readAllLines(r.comparisonCsv());
        assertEquals(PlantedComparison.CSV_HEADER, csv.get(0));
        assertEquals(planted + 1, csv.size());
        List<String> header = List.of(csv.get(0).split(",", -1));
        for (String column : List.of("kind", "beta_unadjusted", "ci_low_unadjusted", "ci_high_unadjusted",
                "beta_truth_unadjusted", "beta_calibrated", "ci_low_calibrated", "ci_high_calibrated",
                "calibration_slope", "n_validation", "ci_covers_planted", "unadjusted_ci_covers_truth",
                "calibrated_ci_covers_truth")) {
            assertTrue(header.contains(column), column);
        }
        for (String line : csv.subList(1, csv.size())) {
            List<String> f = List.of(line.split(",", -1));
            assertEquals(header.size(), f.size(), line);
            if (f.get(header.indexOf("kind")).equals("biomarker")) {
                assertTrue(Double.isFinite(Double.parseDouble(f.get(header.indexOf("beta_segmented")))), line);
                assertTrue(Double.isFinite(Double.parseDouble(f.get(header.indexOf("beta_unadjusted")))), line);
            }
        }
        assertTrue(text.contains("== [4/4]"), text);
        assertTrue(text.contains("recovery of the planted effects: sign right for "), text);
        assertTrue(text.contains("biomarker effects: sign right for "), text);

        // The manifest segmented: the truth's phase on every exam, the true label map on every 10th as reference.
        Map<String, String> truePhase = new java.util.HashMap<>();
        List<String> truthLines = Files.readAllLines(cohort.resolve("truth.csv"));
        for (String line : truthLines.subList(1, truthLines.size())) {
            String[] f = line.split(",", -1);
            truePhase.put(f[0], f[f.length - 1]);
        }
        List<String> study = Files.readAllLines(cohort.resolve(DemoCohort.STUDY_MANIFEST));
        List<String> studyHeader = List.of(study.get(0).split(",", -1));
        int phaseCol = studyHeader.indexOf("contrast_phase");
        int refCol = studyHeader.indexOf(DemoCohort.REFERENCE_MASK_URI);
        long references = 0;
        for (String line : study.subList(1, study.size())) {
            String[] f = line.split(",", -1);
            assertEquals(truePhase.get(f[0]), f[phaseCol], line);
            references += f[refCol].isEmpty() ? 0 : 1;
            assertTrue(f[refCol].isEmpty() || Files.isRegularFile(Paths.get(java.net.URI.create(f[refCol]))), line);
        }
        assertEquals(EXAMS + 1, study.size());
        assertEquals((EXAMS + DemoCohort.REFERENCE_EVERY - 1) / DemoCohort.REFERENCE_EVERY, references);
        assertEquals(EXAMS, exams.filter("contrast_phase_source = 'manifest'").count());
        // The estimator's agreement with the truth is counted on every exam and printed.
        assertEquals(EXAMS, r.phaseAgreement().exams());
        assertTrue(text.contains(r.phaseAgreement().line()), text);
        assertFalse(text.contains("FAIL"), "a run that succeeded must not read like an error");
        assertTrue(text.contains("report: " + r.report()), text);

        // Re-run: cohort reused (not rewritten), every exam carried over from the previous run.
        Path firstImage;
        try (var images = Files.list(cohort.resolve("images"))) {
            firstImage = images.sorted().findFirst().orElseThrow();
        }
        FileTime before = Files.getLastModifiedTime(firstImage);
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        Demo.Result again = run(out, log2);
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("cohort: reusing " + EXAMS + " exams"));
        assertEquals(before, Files.getLastModifiedTime(firstImage));
        assertEquals(0, again.run().processed());
        assertEquals(EXAMS, again.run().carried());
        assertFalse(again.runFolder().equals(run));
        assertEquals(EXAMS, spark.read().parquet(again.runFolder().resolve("exams").toString())
                .filter("status = 'ok'").count());

        // The true label maps as the "segmentation" (measure job): the whole path from Parquet through QC
        // and the fit must then reproduce the truth fit (truth.csv rounds HU to 0.001, volumes to 0.0001 ml).
        Demo.Result ceiling = run(out, new ByteArrayOutputStream(), true);
        assertEquals(EXAMS, ceiling.run().processed());
        for (Comparison c : ceiling.comparison().rows(Kind.STRUCTURE)) {
            String what = c.planted().structure() + " " + c.planted().metric();
            assertNotNull(c.segmented(), what);
            assertEquals(c.truth().n(), c.segmented().n(), what);
            assertEquals(c.truth().beta(), c.segmented().beta(), 1e-4 * (1 + Math.abs(c.truth().beta())), what);
            assertTrue(c.coversTruth(), what);
        }
        assertEquals(PlantedEffects.ALL.size(), ceiling.comparison().verdict().covered());
    }
}
