package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.ModelHandles;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.bench.RunKeyCounts;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamRunner;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.ImageSource;
import io.ctcohort.pipeline.exam.InputFingerprint;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.manifest.InvalidManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The biomarkers table and the exams' contrast phase through real {@code segment} and {@code measure}
 * runs (local Spark, the bundled demo model): the table is in every run with its exact schema, as
 * DuckDB reads it; its rows are what {@link ExamMeasurer} gives for the same files; a manifest phase
 * wins and lands in exams with source {@code manifest}; incremental runs carry biomarker rows over,
 * and a run resumed from staging holds each of them exactly once.
 */
class BiomarkerTablesTest {
    private static final Set<String> PHASES = Set.of("native", "arterial", "portal_venous", "delayed", "unknown");
    /** The table's schema as a second engine sees it. */
    private static final List<String> DUCKDB_SCHEMA = List.of("exam_id VARCHAR", "biomarker VARCHAR", "site VARCHAR",
            "value DOUBLE", "unit VARCHAR", "reason VARCHAR", "model_id VARCHAR");

    @TempDir
    static Path tmp;
    static List<TestCohort.Exam> exams;
    static Path corrupt;

    @BeforeAll
    static void cohort() throws Exception {
        exams = TestCohort.write(tmp.resolve("data"), 4, 21);
        corrupt = TestCohort.corrupt(tmp.resolve("data"), "corrupt.nii.gz");
    }

    /** The cohort's manifest with a contrast_phase column: one value per exam, then the corrupt exam's. */
    private static Path manifest(String name, String... phases) throws Exception {
        StringBuilder sb = new StringBuilder("exam_id,patient_id,age,sex,image_uri,contrast_phase\n");
        for (int i = 0; i < exams.size(); i++) {
            TestCohort.Exam e = exams.get(i);
            sb.append(String.join(",", e.examId(), e.patientId(), Double.toString(e.age()), e.sex(),
                    e.file().toUri().toString(), phases[i])).append('\n');
        }
        sb.append("BAD,P9,50,F,").append(corrupt.toUri()).append(',').append(phases[exams.size()]).append('\n');
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    private static RunSummary run(ExamAnalyzer analyzer, Path manifest, Path out, boolean incremental) throws Exception {
        return new CohortJob(TestSpark.get(), analyzer, new CohortJob.Options(manifest.toString(), out.toString(),
                incremental, 0, false, 1), System.err).run();
    }

    private static String runDir(Path out, RunSummary s) {
        return out.resolve("runs").resolve(s.runId()).toString();
    }

    private static Map<String, Row> examsById(String runDir) {
        Map<String, Row> byId = new HashMap<>();
        for (Row r : TestSpark.get().read().parquet(runDir + "/exams").collectAsList()) {
            assertNull(byId.put(r.getAs("exam_id"), r), "one row per exam");
        }
        return byId;
    }

    /** Biomarker rows as text (value and reason included), sorted: what "the same rows" compares. */
    private static List<String> biomarkerRows(String runDir) {
        List<String> rows = new ArrayList<>();
        for (Row r : TestSpark.get().read().parquet(runDir + "/" + OutputLayout.BIOMARKERS).collectAsList()) {
            rows.add(String.join("|", r.getAs("exam_id"), r.getAs("biomarker"), r.getAs("site"),
                    String.valueOf((Object) r.getAs("value")), r.getAs("unit"), String.valueOf((Object) r.getAs("reason")),
                    r.getAs("model_id")));
        }
        rows.sort(null);
        return rows;
    }

    private static String text(String examId, BiomarkerValue b, String modelId) {
        return String.join("|", examId, b.biomarker(), b.site(), String.valueOf(b.value()), b.unit(),
                String.valueOf(b.reason()), modelId);
    }

    /** Rows of the planted biomarker ({@link PlantedBiomarkers}) in a run. */
    private static long planted(String runDir) {
        return TestSpark.get().read().parquet(runDir + "/" + OutputLayout.BIOMARKERS)
                .filter("biomarker = '" + PlantedBiomarkers.BIOMARKER + "'").count();
    }

    /** Column name and type of the biomarkers table as DuckDB reads the run's Parquet, and its row count. */
    private static long duckdbCheck(String runDir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String files = "read_parquet('" + runDir + "/" + OutputLayout.BIOMARKERS + "/*.parquet')";
            ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + files);
            List<String> schema = new ArrayList<>();
            while (rs.next()) {
                schema.add(rs.getString("column_name") + " " + rs.getString("column_type"));
            }
            assertEquals(DUCKDB_SCHEMA, schema);
            rs = st.executeQuery("SELECT count(*), count(DISTINCT (exam_id, biomarker, site, model_id)) FROM " + files);
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "one row per exam x biomarker x site x model");
            return rs.getLong(1);
        }
    }

    @Test
    void segmentWritesBiomarkersAndTheManifestPhaseWins() throws Exception {
        Path manifest = manifest("segment.csv", "arterial", "Portal-Venous", "", "unknown", "native");
        Path out = tmp.resolve("segment");
        SparkSession spark = TestSpark.get();
        RunSummary s = run(TestModels.analyzer(), manifest, out, false);
        assertEquals(4, s.ok());
        assertEquals(1, s.failed());
        String dir = runDir(out, s);

        // The manifest's phase is an input: not passed through, the result column holds the resolved phase.
        List<String> columns = List.of(spark.read().parquet(dir + "/exams").columns());
        assertEquals(1, columns.stream().filter("contrast_phase"::equals).count(), columns.toString());
        assertTrue(columns.indexOf("contrast_phase") > columns.indexOf("status"), columns.toString());
        Map<String, Row> byId = examsById(dir);
        assertEquals("arterial", byId.get("EX0000").getAs("contrast_phase"));
        assertEquals("manifest", byId.get("EX0000").getAs("contrast_phase_source"));
        assertEquals("portal_venous", byId.get("EX0001").getAs("contrast_phase"));
        assertEquals("manifest", byId.get("EX0001").getAs("contrast_phase_source"));
        for (String id : List.of("EX0002", "EX0003")) { // empty and "unknown": the engine estimates
            assertEquals("estimated", byId.get(id).getAs("contrast_phase_source"), id);
            assertTrue(PHASES.contains((String) byId.get(id).getAs("contrast_phase")), id);
        }
        assertEquals("failed", byId.get("BAD").getAs("status"));
        assertNull(byId.get("BAD").getAs("contrast_phase"), "a failed exam has no phase");

        // Rows: exactly what the engine's one measuring path gives for the same files, none for BAD.
        Path model = TestModels.dir();
        Segmenter segmenter = ModelHandles.open(model).segmenter(Device.CPU);
        ImageSource images = new ImageSource(new HadoopConf(spark.sparkContext().hadoopConfiguration()), 1);
        String modelId = TestModels.analyzer().identity().modelId();
        List<String> expected = new ArrayList<>();
        PhaseCall[] given = {new PhaseCall(ContrastPhase.ARTERIAL, PhaseSource.MANIFEST, null),
            new PhaseCall(ContrastPhase.PORTAL_VENOUS, PhaseSource.MANIFEST, null), null, null};
        for (int i = 0; i < exams.size(); i++) {
            String id = exams.get(i).examId();
            CtVolume ct = images.readCt(ImageRef.parse(exams.get(i).file().toUri().toString()));
            var m = ExamMeasurer.measure(ct, segmenter.segment(ct).labels(), segmenter.labelMap(), given[i]);
            assertEquals(m.phase().phase().value(), byId.get(id).getAs("contrast_phase"));
            m.biomarkers().forEach(b -> expected.add(text(id, b, modelId)));
        }
        expected.sort(null);
        assertEquals(expected, biomarkerRows(dir));
        assertEquals(expected.size(), duckdbCheck(dir));
    }

    @Test
    void biomarkerRowsAreCarriedOverAndAChangedPhaseIsProcessedAgain() throws Exception {
        ExamAnalyzer analyzer = new PlantedBiomarkers(TestModels.analyzer());
        Path out = tmp.resolve("incremental");
        RunSummary first = run(analyzer, manifest("inc1.csv", "native", "", "", "", ""), out, true);
        assertEquals(4, first.ok());
        String firstDir = runDir(out, first);
        List<String> rows = biomarkerRows(firstDir);
        // One planted row per exam x structure, its value the measurements row's volume; absent ones null
        // (beside them, whatever the engine's own biomarkers give).
        long measurementRows = TestSpark.get().read().parquet(firstDir + "/measurements").count();
        assertEquals(measurementRows, planted(firstDir));
        assertEquals(rows.size(), duckdbCheck(firstDir));
        Row joined = TestSpark.get().read().parquet(firstDir + "/" + OutputLayout.BIOMARKERS).alias("b")
                .join(TestSpark.get().read().parquet(firstDir + "/measurements").alias("m"),
                        scala.jdk.javaapi.CollectionConverters.asScala(List.of("exam_id", "model_id")).toSeq())
                .filter("b.site = m.structure AND b.biomarker = '" + PlantedBiomarkers.BIOMARKER + "'")
                .selectExpr("count(*)", "count_if(m.voxel_count > 0 AND b.value = m.volume_ml AND b.reason IS NULL)",
                        "count_if(m.voxel_count = 0 AND b.value IS NULL AND b.reason = '" + PlantedBiomarkers.ABSENT + "')")
                .first();
        assertEquals(measurementRows, joined.getLong(0));
        assertEquals(measurementRows, joined.getLong(1) + joined.getLong(2), "every value is its structure's volume");
        assertTrue(joined.getLong(1) > 0, "something was segmented");
        assertFalse(rows.stream().anyMatch(r -> r.startsWith("BAD|")), "a failed exam has no biomarker rows");

        RunSummary again = run(analyzer, manifest("inc1.csv", "native", "", "", "", ""), out, true);
        assertEquals(4, again.carried());
        assertEquals(1, again.processed(), "only the failed exam is retried");
        assertEquals(rows, biomarkerRows(runDir(out, again)), "carried over unchanged, none duplicated");

        // A phase changed in the manifest changes the exam's input: it alone is processed again.
        RunSummary changed = run(analyzer, manifest("inc2.csv", "native", "delayed", "", "", ""), out, true);
        assertEquals(3, changed.carried());
        assertEquals(2, changed.processed());
        String dir = runDir(out, changed);
        Map<String, Row> byId = examsById(dir);
        assertEquals("delayed", byId.get("EX0001").getAs("contrast_phase"));
        assertEquals("manifest", byId.get("EX0001").getAs("contrast_phase_source"));
        assertEquals("native", byId.get("EX0000").getAs("contrast_phase"));
        assertNotEquals((String) byId.get("EX0001").getAs("input_fingerprint"),
                (String) examsById(firstDir).get("EX0001").getAs("input_fingerprint"));
        // EX0001's own biomarkers may depend on its new phase (calcium is scored on native exams only).
        java.util.function.Predicate<String> phaseFree = r -> !r.startsWith("EX0001|")
                || r.startsWith("EX0001|" + PlantedBiomarkers.BIOMARKER + "|");
        assertEquals(rows.stream().filter(phaseFree).toList(), biomarkerRows(dir).stream().filter(phaseFree).toList(),
                "the same exams give the same rows, once each");
        RunKeyCounts k = RunKeyCounts.of(TestSpark.get(), dir);
        assertEquals(0, k.duplicated());
        assertEquals(rows.size(), k.biomarkerKeys());
    }

    /**
     * What a killed run leaves, its staging folder, with two finished exams and one staged before
     * biomarkers: the re-run reuses the two, processes the old-format one again, and every biomarker
     * row is there once.
     */
    @Test
    void aResumedRunHoldsEachBiomarkerRowOnce() throws Exception {
        ExamAnalyzer analyzer = new PlantedBiomarkers(TestModels.analyzer());
        Path manifest = manifest("resume.csv", "", "arterial", "", "", "");
        Path out = tmp.resolve("resume");
        SparkSession spark = TestSpark.get();
        OutputLayout layout = new OutputLayout(out.toString(), spark.sparkContext().hadoopConfiguration());
        String killedRun = layout.newRunId();
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        io.ctcohort.pipeline.exam.StagingStore staging = new io.ctcohort.pipeline.exam.StagingStore(
                layout.stagingDir(killedRun).toString(),
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(conf), false);
        ImageSource images = new ImageSource(conf, 1);
        List<ExamTask> finished = new ArrayList<>();
        List<ExamResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestCohort.Exam e = exams.get(i);
            ImageRef uri = ImageRef.parse(e.file().toUri().toString());
            PhaseCall given = i == 1 ? new PhaseCall(ContrastPhase.ARTERIAL, PhaseSource.MANIFEST, null) : null;
            String fp = InputFingerprint.ofAll(List.of(uri), conf.get(), 1).get(0).fingerprint();
            ExamTask t = new ExamTask(e.examId(), uri, null, ExamTask.fingerprint(fp, given), Files.size(e.file()),
                    analyzer.identity().sha256(), given);
            ExamAnalyzer onTask = analyzer.forTask(null); // as a Spark task resolves the device request
            ExamResult r = ExamRunner.run(onTask, t, ExamRunner.prepare(onTask, t, images), "test");
            assertTrue(r.ok(), r.errorMessage());
            if (i == 2) { // as a version before biomarkers staged it: no biomarkers, format 0
                r = new ExamResult(r.examId(), r.fingerprint(), r.status(), null, null, r.dims(), r.spacing(),
                        r.stageMillis(), r.device(), r.modelId(), r.modelSha256(), "old", r.processedAtMillis(),
                        r.measurements(), null, null, 0);
            }
            finished.add(t);
            results.add(r);
        }
        staging.write(finished, results);
        assertEquals(2, staging.okResults().size(), "the old-format result is not offered for reuse");

        RunSummary s = run(analyzer, manifest, out, false);
        assertEquals(killedRun, s.runId(), "the killed run is resumed");
        assertEquals(2, s.reused());
        assertEquals(3, s.processed());
        assertEquals(4, s.ok());
        String dir = runDir(out, s);
        RunKeyCounts k = RunKeyCounts.of(spark, dir);
        assertEquals(0, k.duplicated());
        assertEquals(k.measurementRows(), planted(dir), "one planted biomarker per structure, none lost");
        assertEquals("arterial", examsById(dir).get("EX0001").getAs("contrast_phase"));
        assertEquals("old", results.get(2).pipelineVersion());
        assertEquals("test", examsById(dir).get("EX0000").getAs("pipeline_version"), "reused from staging");
        assertNotEquals("old", (String) examsById(dir).get("EX0002").getAs("pipeline_version"), "processed again");
        assertEquals(k.biomarkerRows(), duckdbCheck(dir));
    }

    @Test
    void measureWritesBiomarkersAndThePhase() throws Exception {
        Path cohort = tmp.resolve("phantoms");
        new CohortWriter(new PhantomGenerator(11), 2).write(cohort, 2, false);
        List<String> lines = Files.readAllLines(cohort.resolve("manifest_masks.csv"));
        List<String> withPhase = new ArrayList<>(List.of(lines.get(0) + ",contrast_phase"));
        for (int i = 1; i < lines.size(); i++) {
            withPhase.add(lines.get(i) + (i == 1 ? ",NATIVE" : ","));
        }
        Path manifest = Files.write(cohort.resolve("manifest_phase.csv"), withPhase);
        Path out = tmp.resolve("measure");
        MeasureAnalyzer analyzer = new MeasureAnalyzer(LabelMap.total(), "truth");
        RunSummary s = new CohortJob(TestSpark.get(), analyzer,
                CohortJob.Options.of(manifest.toString(), out.toString(), false), System.err).run();
        assertEquals(2, s.ok());
        String dir = runDir(out, s);
        List<Row> examRows = TestSpark.get().read().parquet(dir + "/exams").orderBy("exam_id").collectAsList();
        assertEquals("native", examRows.get(0).getAs("contrast_phase"));
        assertEquals("manifest", examRows.get(0).getAs("contrast_phase_source"));
        assertEquals("estimated", examRows.get(1).getAs("contrast_phase_source"));

        ImageSource images = new ImageSource(new HadoopConf(TestSpark.get().sparkContext().hadoopConfiguration()), 1);
        List<String> expected = new ArrayList<>();
        Map<String, String[]> inputOf = new HashMap<>(); // the exams table holds no image or mask location
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            inputOf.put(f[0], new String[] {f[2], f[6]});
        }
        for (Row e : examRows) {
            String[] input = inputOf.get((String) e.getAs("exam_id"));
            CtVolume ct = images.readCt(ImageRef.parse(input[0]));
            PhaseCall given = "manifest".equals(e.getAs("contrast_phase_source"))
                    ? new PhaseCall(ContrastPhase.NATIVE, PhaseSource.MANIFEST, null) : null;
            var m = ExamMeasurer.measure(ct, images.readNifti(ImageRef.parse(input[1])).toLabels(), LabelMap.total(), given);
            m.biomarkers().forEach(b -> expected.add(text(e.getAs("exam_id"), b, "truth")));
        }
        expected.sort(null);
        assertEquals(expected, biomarkerRows(dir));
        assertEquals(expected.size(), duckdbCheck(dir));
        // Spark reads back the contract's columns and types.
        assertEquals(List.of(BiomarkersTable.SCHEMA.fieldNames()),
                List.of(TestSpark.get().read().parquet(dir + "/" + OutputLayout.BIOMARKERS).columns()));
    }

    @Test
    void aBadContrastPhaseRefusesTheManifestBeforeAnyWork() throws Exception {
        Path manifest = manifest("bad.csv", "arterial", "venus", "", "", "");
        Path out = tmp.resolve("bad");
        InvalidManifestException e = assertThrows(InvalidManifestException.class,
                () -> run(TestModels.analyzer(), manifest, out, false));
        assertTrue(e.getMessage().contains(manifest.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3: contrast_phase 'venus' is not one of native, arterial, "
                + "portal_venous, delayed, unknown"), e.getMessage());
        assertFalse(Files.exists(out.resolve("runs")), "nothing was processed");
    }
}
