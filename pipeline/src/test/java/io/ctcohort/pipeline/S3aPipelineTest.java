package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.dicom.DicomSeriesWriter;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.stats.StructureStatistics;
import io.ctcohort.pipeline.bench.EngineLoop;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.core.layout.OutputLayout;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3a:// input and output against s3proxy (a real S3 API, in-process): the manifest, the exams and
 * the output root all live in a bucket; tables are written with the S3A magic committer.
 * Credentials reach S3A through the AWS SDK's default chain (here: system properties, test only).
 */
class S3aPipelineTest {

    @TempDir
    Path tmp;

    @Test
    void segmentReadsAndWritesS3() throws Exception {
        SparkSession spark = TestSpark.get();
        Configuration h = spark.sparkContext().hadoopConfiguration();
        List<String> keys = List.of("fs.s3a.endpoint", "fs.s3a.endpoint.region", "fs.s3a.path.style.access",
                "fs.s3a.connection.ssl.enabled", "fs.s3a.aws.credentials.provider");
        List<String> saved = new ArrayList<>();
        keys.forEach(k -> saved.add(h.get(k)));
        try (TestS3 proxy = TestS3.start("cohort")) {
            System.setProperty("aws.accessKeyId", TestS3.ACCESS);
            System.setProperty("aws.secretAccessKey", TestS3.SECRET);
            h.set("fs.s3a.endpoint", proxy.endpoint());
            h.set("fs.s3a.endpoint.region", "us-east-1");
            h.set("fs.s3a.path.style.access", "true");
            h.set("fs.s3a.connection.ssl.enabled", "false");
            h.set("fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");

            // Upload a small cohort and its manifest (image_uri = s3a://...).
            List<TestCohort.Exam> local = TestCohort.write(tmp.resolve("data"), 3, 7);
            FileSystem fs = FileSystem.get(URI.create("s3a://cohort/"), h);
            List<TestCohort.Exam> remote = new ArrayList<>();
            for (TestCohort.Exam e : local) {
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path("s3a://cohort/ct/" + e.file().getFileName());
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(e.file().toUri()), dst);
                remote.add(new TestCohort.Exam(e.examId(), e.patientId(), e.age(), e.sex(), null));
            }
            StringBuilder csv = new StringBuilder("exam_id,patient_id,age,sex,image_uri\n");
            for (TestCohort.Exam e : local) {
                csv.append(e.examId()).append(',').append(e.patientId()).append(',').append(e.age()).append(',')
                        .append(e.sex()).append(",s3a://cohort/ct/").append(e.file().getFileName()).append('\n');
            }
            // Exam 0 once more, as a DICOM series folder on S3.
            TestCohort.Exam first = local.get(0);
            java.nio.file.Path series = tmp.resolve("dicom").resolve("EX_DICOM");
            DicomSeriesWriter.write(TestCohort.ct(7, 0), new DicomSeriesWriter.Study("EX_DICOM", first.patientId(),
                    "S3^TEST", first.sex(), (int) first.age(), null, java.time.LocalDate.of(2024, 1, 2), null, null,
                    null, null), DicomSeriesWriter.Series.axial(2, "ABDOMEN 3.0 B30f", "B30f"), series);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(series.toUri()),
                    new org.apache.hadoop.fs.Path("s3a://cohort/dicom/EX_DICOM"));
            csv.append("EX_DICOM,").append(first.patientId()).append(',').append(first.age()).append(',')
                    .append(first.sex()).append(",s3a://cohort/dicom/EX_DICOM\n");
            csv.append("EX_MISSING,P1,40,F,s3a://cohort/ct/missing.nii.gz\n");
            try (var out = fs.create(new org.apache.hadoop.fs.Path("s3a://cohort/manifest.csv"))) {
                out.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }

            SegmentAnalyzer analyzer = TestModels.analyzer();
            CohortJob.Options o = new CohortJob.Options("s3a://cohort/manifest.csv", "s3a://cohort/out", true, 0,
                    true, 1);
            RunSummary s = new CohortJob(spark, analyzer, o, System.err).run();
            assertEquals(4, s.ok(), () -> spark.read().parquet("s3a://cohort/out/runs/" + s.runId() + "/exams")
                    .filter("status = 'failed'").select("exam_id", "error_message").collectAsList().toString());
            assertEquals(1, s.failed());

            OutputLayout layout = new OutputLayout("s3a://cohort/out", h);
            assertEquals(s.runId(), layout.latestRunId().orElseThrow());
            // The magic committer wrote the run's ledger (the tables' bucket files are single PUTs): its
            // _SUCCESS is a JSON manifest naming the committer.
            String success = OutputLayout.readSmall(fs, new org.apache.hadoop.fs.Path(
                    "s3a://cohort/out/runs/" + s.runId() + "/_ledger/_SUCCESS"));
            assertTrue(success.contains("\"committer\"") && success.contains("magic"), success);

            List<Row> exams = spark.read().parquet("s3a://cohort/out/runs/" + s.runId() + "/exams")
                    .orderBy("exam_id").collectAsList();
            assertEquals(5, exams.size());
            for (Row r : exams.subList(0, 4)) {
                assertEquals("ok", r.getAs("status"));
                String fp = r.getAs("input_fingerprint");
                assertTrue(fp.contains(r.getAs("exam_id").equals("EX_DICOM") ? "files=20;" : "etag="), fp);
            }
            assertEquals("failed", exams.get(4).getAs("status"));
            for (TestCohort.Exam e : local) {
                List<StructureStatistics> expected = EngineLoop.segmentAndMeasure(e.file(), TestModels.dir(),
                        Device.CPU);
                // Exam 0 twice: as NIfTI and as its DICOM series, which must measure the same.
                for (String id : e == first ? List.of(e.examId(), "EX_DICOM") : List.of(e.examId())) {
                    List<Row> rows = spark.read().parquet("s3a://cohort/out/runs/" + s.runId() + "/measurements")
                            .filter("exam_id = '" + id + "'").orderBy("label").collectAsList();
                    assertEquals(expected.size(), rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        assertEquals(expected.get(i).voxelCount(), (long) rows.get(i).getAs("voxel_count"), id);
                        assertEquals(expected.get(i).volumeMl(), (double) rows.get(i).getAs("volume_ml"), 0.0, id);
                        if (expected.get(i).voxelCount() > 0) {
                            assertEquals(expected.get(i).huMean(), (double) rows.get(i).getAs("hu_mean"), 0.0, id);
                        }
                    }
                }
            }

            // Nightly re-run on S3: nothing changed (same ETags), only the missing exam is retried.
            RunSummary again = new CohortJob(spark, analyzer, o, System.err).run();
            assertEquals(4, again.carried());
            assertEquals(1, again.processed());
            assertEquals(s.measurementRows(), again.measurementRows());
            assertNotNull(layout.latestRunId().filter(again.runId()::equals).orElse(null));

            // The catalog walks the same bucket and points its manifest at the series on S3.
            CatalogJob.Summary c = new CatalogJob(spark, SelectionRules.DEFAULT, System.err)
                    .run("s3a://cohort/dicom/", "s3a://cohort/catalog");
            assertEquals(20, c.files());
            assertEquals(1, c.selected());
            String manifest = OutputLayout.readSmall(fs, new org.apache.hadoop.fs.Path("s3a://cohort/catalog/manifest.csv"));
            assertTrue(manifest.contains(",s3a://cohort/dicom/EX_DICOM#"), manifest);
            assertTrue(!manifest.contains("S3^TEST"), manifest);
            fs.close();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            for (int i = 0; i < keys.size(); i++) {
                if (saved.get(i) == null) {
                    h.unset(keys.get(i));
                } else {
                    h.set(keys.get(i), saved.get(i));
                }
            }
        }
    }
}
