package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.engine.stats.StructureStatistics;
import io.ctcohort.pipeline.bench.EngineLoop;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.core.layout.OutputLayout;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment job in local mode over a small synthetic cohort with bad inputs mixed in, then
 * incremental re-runs. Rows are compared with the engine run directly on the same files, and the
 * Parquet output is read back by DuckDB.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineTest {
    @TempDir
    static Path tmp;
    static Path manifest;
    static Path out;
    static List<TestCohort.Exam> exams;
    static SegmentAnalyzer analyzer;
    static String firstRun;

    @BeforeAll
    static void cohort() throws Exception {

        Path data = tmp.resolve("data");
        exams = TestCohort.write(data, 6, 42);
        List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"BAD_CORRUPT", "P9001", "50", "F", TestCohort.corrupt(data, "corrupt.nii.gz").toUri().toString()});
        bad.add(new String[] {"BAD_TRUNCATED", "P9002", "51", "M",
            TestCohort.truncated(exams.get(0).file(), data, "truncated.nii.gz").toUri().toString()});
        bad.add(new String[] {"BAD_MISSING", "P9003", "52", "F", data.resolve("missing.nii.gz").toUri().toString()});
        bad.add(new String[] {"BAD_TYPE", "P9004", "53", "M", TestCohort.wrongType(data, "report.nii").toUri().toString()});
        manifest = TestCohort.manifest(tmp.resolve("manifest.csv"), exams, bad);
        out = tmp.resolve("out");
        analyzer = TestModels.analyzer();
    }

    static RunSummary run(boolean incremental, int keepRuns) throws Exception {
        SparkSession spark = TestSpark.get();
        CohortJob.Options o = new CohortJob.Options(manifest.toString(), out.toString(), incremental, keepRuns,
                true, 1);
        return new CohortJob(spark, analyzer, o, System.err).run();
    }

    static Dataset<Row> table(String runId, String name) {
        return TestSpark.get().read().parquet(out.resolve("runs").resolve(runId).resolve(name).toString());
    }

    @Test
    @Order(1)
    void everyExamGetsOneRowAndMeasurementsEqualTheEngine() throws Exception {
        RunSummary s = run(false, 0);
        firstRun = s.runId();
        assertEquals(10, s.exams());
        assertEquals(10, s.processed());
        assertEquals(6, s.ok());
        assertEquals(4, s.failed());
        assertEquals(s.runId(), Files.readString(out.resolve("LATEST")).strip());
        assertTrue(Files.exists(out.resolve("runs").resolve(s.runId()).resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("staging").resolve(s.runId())), "staging removed after publishing");

        Dataset<Row> examsTable = table(s.runId(), "exams");
        assertEquals(DataTypes.DoubleType, examsTable.schema().apply("age").dataType());
        assertEquals(DataTypes.StringType, examsTable.schema().apply("patient_id").dataType());
        List<String> cols = List.of(examsTable.columns());
        assertEquals(List.of("exam_id", "patient_id", "age", "sex", "input_fingerprint"), cols.subList(0, 5),
                "the manifest's columns but image_uri: a shared table holds no image location");
        Map<String, Row> byId = new HashMap<>();
        for (Row r : examsTable.collectAsList()) {
            assertNull(byId.put(r.getAs("exam_id"), r), "one row per exam");
        }
        assertEquals(10, byId.size());
        for (TestCohort.Exam e : exams) {
            Row r = byId.get(e.examId());
            assertEquals("ok", r.getAs("status"), e.examId() + ": " + r.getAs("error_message"));
            assertEquals(e.age(), (double) r.getAs("age"));
            assertEquals(e.patientId(), r.getAs("patient_id"));
            assertEquals(40, (int) r.getAs("dim_x"));
            assertEquals(3.0, (double) r.getAs("spacing_z"));
            assertNotNull(r.getAs("infer_ms"));
            assertNotNull(r.getAs("input_fingerprint"));
            assertEquals(analyzer.identity().sha256(), r.getAs("model_sha256"));
        }
        for (String bad : List.of("BAD_CORRUPT", "BAD_TRUNCATED", "BAD_MISSING", "BAD_TYPE")) {
            Row r = byId.get(bad);
            assertEquals("failed", r.getAs("status"), bad);
            assertNotNull(r.getAs("error_class"), bad);
            String msg = r.getAs("error_message");
            assertTrue(msg != null && !msg.isBlank(), bad + " has a message");
        }
        assertTrue(((String) byId.get("BAD_MISSING").getAs("error_class")).contains("FileNotFound"),
                (String) byId.get("BAD_MISSING").getAs("error_class"));
        assertTrue(((String) byId.get("BAD_TYPE").getAs("error_class")).contains("InvalidImage"),
                (String) byId.get("BAD_TYPE").getAs("error_class"));
        // the summary's failures per error_class are the table's, most frequent first
        Map<String, Long> byClass = new HashMap<>();
        byId.values().stream().filter(r -> "failed".equals(r.getAs("status")))
                .forEach(r -> byClass.merge(r.getAs("error_class"), 1L, Long::sum));
        assertEquals(byClass, s.failedByClass());
        List<Long> counts = List.copyOf(s.failedByClass().values());
        for (int i = 1; i < counts.size(); i++) {
            assertTrue(counts.get(i - 1) >= counts.get(i), counts.toString());
        }
        assertTrue(s.describeFailures().startsWith("failed exams by error_class (4 in all):"), s.describeFailures());
        assertTrue(s.describeFailures().contains("       1  java.io.FileNotFoundException"), s.describeFailures());

        // Measurements: exactly what the engine computes on its own, structure by structure.
        Map<String, Row> m = new HashMap<>();
        for (Row r : table(s.runId(), "measurements").collectAsList()) {
            assertNull(m.put(r.getAs("exam_id") + "/" + r.getAs("structure"), r), "one row per exam x structure");
        }
        int structures = 0;
        for (TestCohort.Exam e : exams) {
            List<StructureStatistics> expected = EngineLoop.segmentAndMeasure(e.file(), TestModels.dir(), Device.CPU);
            structures = expected.size();
            for (StructureStatistics st : expected) {
                Row r = m.get(e.examId() + "/" + st.structure());
                assertNotNull(r, e.examId() + "/" + st.structure());
                assertEquals(st.label(), (long) r.getAs("label"));
                assertEquals(st.voxelCount(), (long) r.getAs("voxel_count"), st.structure());
                assertEquals(st.volumeMl(), (double) r.getAs("volume_ml"), 0.0);
                assertEquals(st.touchesBorder(), r.getAs("touches_border"));
                assertSameOrNull(st.huMean(), r.getAs("hu_mean"));
                assertSameOrNull(st.huStd(), r.getAs("hu_std"));
                assertSameOrNull(st.huMedian(), r.getAs("hu_median"));
                assertSameOrNull(st.huP05(), r.getAs("hu_p05"));
                assertSameOrNull(st.huP95(), r.getAs("hu_p95"));
                assertEquals(analyzer.identity().modelId(), r.getAs("model_id"));
            }
        }
        assertEquals(6L * structures, m.size());
        assertTrue(m.values().stream().anyMatch(r -> (long) r.getAs("voxel_count") > 0), "something was segmented");

        // A second engine reads the same Parquet.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            String runDir = out.resolve("runs").resolve(s.runId()).toString();
            ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE status = 'ok'), "
                    + "count(DISTINCT exam_id) FROM read_parquet('" + runDir + "/exams/*.parquet')");
            rs.next();
            assertEquals(10, rs.getLong(1));
            assertEquals(6, rs.getLong(2));
            assertEquals(10, rs.getLong(3));
            rs = st.executeQuery("SELECT count(*), sum(voxel_count), count(DISTINCT exam_id || structure) FROM "
                    + "read_parquet('" + runDir + "/measurements/*.parquet')");
            rs.next();
            assertEquals(m.size(), rs.getLong(1));
            assertEquals(m.values().stream().mapToLong(r -> r.getAs("voxel_count")).sum(), rs.getLong(2));
            assertEquals(m.size(), rs.getLong(3));
        }
    }

    private static void assertSameOrNull(double expected, Object actual) {
        if (Double.isNaN(expected)) {
            assertNull(actual);
        } else {
            assertEquals(expected, (double) actual, 0.0);
        }
    }

    @Test
    @Order(2)
    void incrementalRunCarriesOkExamsAndRetriesFailedOnes() throws Exception {
        List<Row> before = table(firstRun, "exams").filter("status = 'ok'").orderBy("exam_id").collectAsList();
        RunSummary s = run(true, 0);
        assertEquals(6, s.carried());
        assertEquals(4, s.processed(), "only the failed exams are retried");
        assertEquals(6, s.ok());
        List<Row> after = table(s.runId(), "exams").filter("status = 'ok'").orderBy("exam_id").collectAsList();
        assertEquals(before, after, "unchanged exams keep their rows, processed_at included");
        assertEquals(table(firstRun, "measurements").count(), table(s.runId(), "measurements").count());
        assertEquals(10, table(s.runId(), "exams").count());
        assertTrue(Files.exists(out.resolve("runs").resolve(firstRun).resolve("_SUCCESS")), "earlier run still there");
    }

    @Test
    @Order(3)
    void aChangedExamIsProcessedAgain() throws Exception {
        TestCohort.Exam changed = exams.get(1);
        NiftiWriter.write(TestCohort.ct(999, 2), changed.file());
        Files.setLastModifiedTime(changed.file(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        RunSummary s = run(true, 0);
        assertEquals(5, s.carried());
        assertEquals(5, s.processed(), "the changed exam and the 4 failed ones");
        List<StructureStatistics> expected = EngineLoop.segmentAndMeasure(changed.file(), TestModels.dir(), Device.CPU);
        Dataset<Row> m = table(s.runId(), "measurements").filter("exam_id = '" + changed.examId() + "'");
        assertEquals(expected.size(), m.count());
        for (StructureStatistics st : expected) {
            Row r = m.filter("label = " + st.label()).first();
            assertEquals(st.voxelCount(), (long) r.getAs("voxel_count"));
        }
        assertEquals(1, table(s.runId(), "exams").filter("exam_id = '" + changed.examId() + "'").count());
    }

    @Test
    @Order(4)
    void keepRunsPrunesOldSnapshots() throws Exception {
        RunSummary s = run(true, 2);
        OutputLayout layout = new OutputLayout(out.toString(), TestSpark.get().sparkContext().hadoopConfiguration());
        List<String> runs = layout.completeRuns();
        assertEquals(2, runs.size(), runs.toString());
        assertEquals(s.runId(), runs.get(1));
        assertEquals(s.runId(), layout.latestRunId().orElseThrow());
        assertFalse(Files.exists(out.resolve("runs").resolve(firstRun)));
    }
}
