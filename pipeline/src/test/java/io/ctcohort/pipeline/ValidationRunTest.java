package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.analytics.calibration.CalibrationOptions;
import io.ctcohort.analytics.centiles.CentileOptions;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.ValidationSummaryTable;
import io.ctcohort.core.tables.ValidationTable;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.GridMatch;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.engine.phantom.PhantomStructures;
import io.ctcohort.engine.validation.ExamValidation;
import io.ctcohort.engine.validation.ReferenceComparison;
import io.ctcohort.engine.validation.StructureAgreement;
import io.ctcohort.pipeline.bench.RunKeyCounts;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.ImageSource;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.privacy.MessagePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code measure} over phantoms whose "model" masks are the true label maps eroded by one voxel and
 * whose references are the true label maps, for some exams: the run writes the validation table with
 * the values {@link ReferenceComparison} gives on the same files; a reference on another grid, and
 * one that is missing, fail only that exam's validation; an incremental re-run carries the rows over
 * once; analyze then writes validation_summary, the calibrated columns and the report's validation page.
 */
class ValidationRunTest {
    private static final int EXAMS = 10;
    /** Exams 0..VALIDATED-1 have their true map as reference; then one on another grid, one missing. */
    private static final int VALIDATED = 6;
    private static final int SHIFTED = VALIDATED, MISSING = VALIDATED + 1;
    private static final LabelMap VOCABULARY = LabelMap.of(PhantomStructures.LABELS);

    @TempDir
    Path tmp;

    @Test
    void measureWritesTheValidationTableAndAnalyzeCalibrates() throws Exception {
        SparkSession spark = TestSpark.get();
        Path cohort = tmp.resolve("cohort");
        new CohortWriter(new PhantomGenerator(31), 2).write(cohort, EXAMS, false);
        List<String> lines = Files.readAllLines(cohort.resolve("manifest_masks.csv"));
        Path models = Files.createDirectories(tmp.resolve("eroded"));
        Path references = Files.createDirectories(tmp.resolve("references"));
        List<String> manifest = new ArrayList<>();
        manifest.add(lines.get(0).replace(",mask_uri", ",mask_uri,reference_mask_uri"));
        Map<String, String[]> files = new HashMap<>(); // exam -> image, model mask, reference
        for (int i = 0; i < EXAMS; i++) {
            String[] f = lines.get(i + 1).split(",");
            String exam = f[0];
            Path truthFile = Path.of(java.net.URI.create(f[6]));
            LabelVolume truth = NiftiReader.read(truthFile).toLabels();
            Path model = models.resolve(exam + ".nii.gz");
            NiftiWriter.write(erodeAll(truth), model);
            String reference = "";
            if (i < VALIDATED) {
                reference = truthFile.toUri().toString();
            } else if (i == SHIFTED) {
                Path shifted = references.resolve(exam + "-shifted.nii.gz");
                NiftiWriter.write(shifted(truth, 12.5), shifted);
                reference = shifted.toUri().toString();
            } else if (i == MISSING) {
                reference = references.resolve(exam + "-absent.nii.gz").toUri().toString();
            }
            f[6] = model.toUri().toString();
            manifest.add(String.join(",", f) + "," + reference);
            files.put(exam, new String[] {f[2], f[6], reference});
        }
        Path manifestFile = tmp.resolve("manifest.csv");
        Files.write(manifestFile, manifest);
        Path out = tmp.resolve("out");
        MeasureAnalyzer analyzer = new MeasureAnalyzer(VOCABULARY, "eroded");

        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        RunSummary first = new CohortJob(spark, analyzer,
                CohortJob.Options.of(manifestFile.toString(), out.toString(), false),
                new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)).run();
        String said = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        System.err.print(said);
        assertEquals(EXAMS, first.ok(), "a bad reference never fails its exam");
        assertTrue(said.contains("measure: validation: " + (VALIDATED + 2) + " exams against a reference, 2 failed"),
                said);
        String run = out.resolve("runs").resolve(first.runId()).toString();

        // The exact schema, read by a second engine.
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + run + "/validation/*.parquet')"
                    + " ORDER BY exam_id, label");
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int k = 1; k <= md.getColumnCount(); k++) {
                columns.add(md.getColumnName(k));
            }
            assertEquals(List.of(ValidationTable.SCHEMA.fieldNames()), columns);
            while (rs.next()) {
                Map<String, Object> r = new HashMap<>();
                for (String col : columns) {
                    r.put(col, rs.getObject(col));
                }
                rows.add(r);
            }
            assertFalse(st.executeQuery("SELECT * FROM read_parquet('" + run + "/exams/*.parquet') LIMIT 0")
                    .getMetaData().toString().contains("reference_mask_uri"));
        }
        for (StructField f : spark.read().parquet(run + "/validation").schema().fields()) {
            StructField expected = ValidationTable.SCHEMA.apply(f.name());
            assertEquals(expected.dataType(), f.dataType(), f.name());
        }
        assertFalse(List.of(spark.read().parquet(run + "/exams").columns()).contains("reference_mask_uri"),
                "shared exams table holds no reference location");
        assertEquals(VALIDATED * VOCABULARY.size() + 2, rows.size(), "a row per structure per validated exam, "
                + "one per failed validation, none for exams without a reference");

        // Values equal ReferenceComparison's on the same files, read as measure reads them.
        ImageSource images = new ImageSource(new HadoopConf(spark.sparkContext().hadoopConfiguration()), 1);
        int checked = 0;
        int eroded = 0;
        for (int i = 0; i < VALIDATED; i++) {
            String exam = String.valueOf(lines.get(i + 1).split(",")[0]);
            String[] f = files.get(exam);
            CtVolume ct = images.readCt(ImageRef.parse(f[0]));
            ExamValidation v = ReferenceComparison.compare(ct, images.readNifti(ImageRef.parse(f[1])).toLabels(), VOCABULARY,
                    images.readNifti(ImageRef.parse(f[2])).toLabels(), null, f[2]);
            assertTrue(v.ok(), v.errorMessage());
            for (StructureAgreement a : v.structures()) {
                Map<String, Object> row = rows.stream().filter(r -> exam.equals(r.get("exam_id"))
                        && a.structure().equals(r.get("structure"))).findFirst().orElseThrow();
                assertEquals("ok", row.get("status"));
                assertEquals("eroded", row.get("model_id"));
                a.columns().forEach((col, value) -> {
                    Object actual = row.get(col);
                    if (value instanceof Double d) {
                        assertEquals(d, ((Number) actual).doubleValue(), 0.0, exam + " " + a.structure() + " " + col);
                    } else if (value instanceof Long l) {
                        assertEquals(l, ((Number) actual).longValue(), exam + " " + a.structure() + " " + col);
                    } else {
                        assertEquals(value, actual, exam + " " + a.structure() + " " + col);
                    }
                });
                eroded += a.reference().present() && a.dice() < 1 ? 1 : 0;
                checked++;
            }
        }
        assertEquals(VALIDATED * VOCABULARY.size(), checked);
        assertTrue(eroded > VALIDATED * 5, "eroded structures score Dice < 1: " + eroded);

        // Another grid, and a missing file: one failed row each, naming the problem without a path.
        String shiftedExam = lines.get(SHIFTED + 1).split(",")[0];
        String missingExam = lines.get(MISSING + 1).split(",")[0];
        Map<String, Object> shifted = failedRow(rows, shiftedExam);
        assertTrue(((String) shifted.get("error_class")).endsWith(":REFERENCE_GRID_MISMATCH"),
                (String) shifted.get("error_class"));
        String message = (String) shifted.get("error_message");
        assertTrue(message.contains(MessagePaths.REFERENCE) && !message.contains(tmp.toString()), message);
        assertEquals("io.ctcohort.engine.InvalidImageException:FILE_NOT_FOUND",
                failedRow(rows, missingExam).get("error_class"));
        assertFalse(((String) failedRow(rows, missingExam).get("error_message")).contains(tmp.toString()));
        for (Row r : spark.read().parquet(run + "/exams").collectAsList()) {
            assertEquals("ok", r.getAs("status"), (String) r.getAs("exam_id"));
        }

        // Incremental: every exam carried, its validation rows once.
        RunSummary second = new CohortJob(spark, analyzer,
                CohortJob.Options.of(manifestFile.toString(), out.toString(), true), System.err).run();
        assertEquals(EXAMS, second.carried());
        String run2 = out.resolve("runs").resolve(second.runId()).toString();
        RunKeyCounts k = RunKeyCounts.of(spark, run2);
        assertEquals(0, k.duplicated());
        assertEquals(rows.size(), k.validationRows());
        // The summary and _SUCCESS count the rows written, carried ones included.
        assertEquals(rows.size(), second.validationRows());
        assertEquals(k.biomarkerRows(), second.biomarkerRows());
        assertEquals(k.measurementRows(), second.measurementRows());
        String success = Files.readString(out.resolve("runs").resolve(second.runId()).resolve("_SUCCESS"));
        assertTrue(success.contains("\"validation_rows\":" + rows.size() + ","), success);
        assertTrue(success.contains("\"biomarker_rows\":" + k.biomarkerRows() + ","), success);
        List<Row> before = spark.read().parquet(run + "/validation").orderBy("exam_id", "label").collectAsList();
        List<Row> after = spark.read().parquet(run2 + "/validation").orderBy("exam_id", "label").collectAsList();
        assertEquals(before, after);

        // analyze: validation_summary, the calibrated columns, the report's validation page.
        Path report = tmp.resolve("report");
        StudyOptions options = StudyOptions.defaults()
                .withCalibration(CalibrationOptions.defaults().withMinValidationExams(3));
        AnalyzeJob.run(spark, run2, null, report, options, CentileOptions.off());
        List<Row> summary = spark.read().parquet(run2 + "/" + ValidationSummaryTable.NAME).collectAsList();
        assertFalse(summary.isEmpty());
        Row liver = summary.stream().filter(r -> "liver".equals(r.getAs("structure"))
                && "volume_ml".equals(r.getAs("metric"))).findFirst().orElseThrow();
        assertEquals(VALIDATED, ((Number) liver.getAs("n")).longValue());
        double b = liver.getAs(ValidationSummaryTable.CALIBRATION_SLOPE);
        assertTrue(b > 0.5 && b < 1, "an eroded liver's volume on the true one: slope " + b);
        List<Row> calibrated = spark.read().parquet(run2 + "/age_effects")
                .filter(AgeEffectsTable.BETA_AGE_CALIBRATED + " IS NOT NULL").collectAsList();
        assertFalse(calibrated.isEmpty(), "some age effect calibrated with 6 validation exams");
        for (Row r : calibrated) {
            assertEquals(VALIDATED, ((Number) r.getAs(AgeEffectsTable.N_VALIDATION)).longValue());
            assertNotNull(r.getAs(AgeEffectsTable.CALIBRATION_SLOPE));
        }
        String page = Files.readString(report.resolve(io.ctcohort.analytics.report.ValidationReport.PAGE));
        for (String structure : List.of("liver", "spleen", "kidney_left")) {
            assertTrue(page.contains(">" + structure + "<"), structure);
            String png = "plots/bland_altman_" + structure + "_volume_ml.png";
            assertTrue(page.contains(png) && Files.size(report.resolve(png)) > 1000, png);
        }
        assertTrue(Files.readString(report.resolve("index.html"))
                .contains("href=\"" + io.ctcohort.analytics.report.ValidationReport.PAGE + "\""));
    }

    private static Map<String, Object> failedRow(List<Map<String, Object>> rows, String exam) {
        List<Map<String, Object>> of = rows.stream().filter(r -> exam.equals(r.get("exam_id"))).toList();
        assertEquals(1, of.size(), exam);
        assertEquals("failed", of.get(0).get("status"));
        assertNull(of.get(0).get("structure"));
        return of.get(0);
    }

    /** Every label kept only where its 6 neighbours hold it too: one voxel off every surface. */
    static LabelVolume erodeAll(LabelVolume in) {
        Geometry g = in.geometry();
        LabelVolume out = LabelVolume.allocate(g, in.capacity());
        for (int z = 1; z < g.nz() - 1; z++) {
            for (int y = 1; y < g.ny() - 1; y++) {
                for (int x = 1; x < g.nx() - 1; x++) {
                    int l = in.get(x, y, z);
                    if (l != 0 && in.get(x - 1, y, z) == l && in.get(x + 1, y, z) == l && in.get(x, y - 1, z) == l
                            && in.get(x, y + 1, z) == l && in.get(x, y, z - 1) == l && in.get(x, y, z + 1) == l) {
                        out.set(g.index(x, y, z), l);
                    }
                }
            }
        }
        return out;
    }

    /** The same labels with the grid moved by {@code mm} along the first world axis: another grid. */
    static LabelVolume shifted(LabelVolume in, double mm) {
        Geometry g = in.geometry();
        double[] affine = g.affine();
        affine[3] += mm;
        Geometry moved = new Geometry(g.nx(), g.ny(), g.nz(), affine, g.spacing());
        assertNotNull(GridMatch.difference(g, moved));
        LabelVolume out = LabelVolume.allocate(moved, in.capacity());
        for (int i = 0; i < g.voxelCount(); i++) {
            out.set(i, in.get(i));
        }
        return out;
    }
}
