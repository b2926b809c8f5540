package io.ctcohort.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ctcohort.pipeline.ChildJvm;
import io.ctcohort.pipeline.TestCohort;
import io.ctcohort.pipeline.TestModels;
import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar (target/ctcohort-app.jar: everything but Spark/Hadoop) on a real Spark
 * standalone cluster ({@link TestCluster}: a Master and two Worker JVMs from the Maven jars),
 * submitted through org.apache.spark.deploy.SparkSubmit. Its tables equal a local-mode run's.
 */
class StandaloneClusterIT {
    @TempDir
    Path tmp;

    @Test
    void applicationJarOnAStandaloneClusterGivesTheSameTables() throws Exception {
        assumeTrue(TestCluster.available(), "run through `mvn verify`: needs " + TestCluster.appJar());

        List<TestCohort.Exam> exams = TestCohort.write(tmp.resolve("data"), 4, 300);
        Path manifest = TestCohort.manifest(tmp.resolve("manifest.csv"), exams, List.<String[]>of(new String[] {
            "BAD_MISSING", "P1", "40", "F", tmp.resolve("data/missing.nii.gz").toUri().toString()}));

        try (TestCluster cluster = TestCluster.startMaster(tmp)) {
            for (int w = 1; w <= 2; w++) {
                // Each worker offers one (pretend) GPU, as conf/getGpusResources.sh would report a real one.
                Path gpu = tmp.resolve("gpu" + w + ".sh");
                Files.writeString(gpu, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"" + (w - 1) + "\"]}'\n");
                gpu.toFile().setExecutable(true);
                cluster.startWorker(w, "127.0.0.1", List.of("-Dspark.worker.resource.gpu.amount=1",
                        "-Dspark.worker.resource.gpu.discoveryScript=" + gpu));
            }

            Path clusterOut = tmp.resolve("out-cluster");
            Path submitLog = tmp.resolve("submit.log");
            Process submit = cluster.submit(manifest, clusterOut, "cpu", submitLog, "spark.executor.memory=2g");
            assertTrue(submit.waitFor(420, TimeUnit.SECONDS), "spark-submit did not finish:\n" + ChildJvm.tail(submitLog));
            assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + ChildJvm.tail(submitLog));
            String log = Files.readString(submitLog);
            assertTrue(log.contains("4 ok, 1 failed"), ChildJvm.tail(submitLog));

            // The same manifest in local mode, in this JVM.
            Path localOut = tmp.resolve("out-local");
            RunSummary local = new CohortJob(TestSpark.get(), TestModels.analyzer(),
                    CohortJob.Options.of(manifest.toString(), localOut.toString(), false), System.err).run();
            assertEquals(4, local.ok());
            String clusterRun = Files.readString(clusterOut.resolve("LATEST")).strip();
            assertTable(localOut.resolve("runs").resolve(local.runId()), clusterOut.resolve("runs").resolve(clusterRun),
                    "measurements", "*");
            assertTable(localOut.resolve("runs").resolve(local.runId()), clusterOut.resolve("runs").resolve(clusterRun),
                    "biomarkers", "*");
            // exams: no image_uri (a shared table holds no paths), the phase as resolved on the executor
            assertTable(localOut.resolve("runs").resolve(local.runId()), clusterOut.resolve("runs").resolve(clusterRun),
                    "exams", "exam_id, patient_id, age, sex, input_fingerprint, status, error_class, dim_x, "
                            + "dim_y, dim_z, spacing_x, spacing_y, spacing_z, model_id, model_sha256, contrast_phase, "
                            + "contrast_phase_source");
            // The cluster's exams table holds the 4 good exams as ok (the bad one is its own failed row).
            assertEquals(4, TestSpark.get().read().parquet(clusterOut.resolve("runs").resolve(clusterRun)
                    .resolve("exams").toString()).filter("status = 'ok'").count());

            // GPU executors: each task takes the GPU Spark's scheduler gave it (TaskContext.resources).
            // This build has no CUDA provider, so every exam fails, naming its device and the reason.
            Path gpuOut = tmp.resolve("out-gpu");
            Path gpuLog = tmp.resolve("submit-gpu.log");
            Process gpuSubmit = cluster.submit(manifest, gpuOut, "auto", gpuLog,
                    "spark.executor.memory=1g", "spark.executor.resource.gpu.amount=1",
                    "spark.executor.resource.gpu.discoveryScript=" + tmp.resolve("gpu1.sh"),
                    "spark.task.resource.gpu.amount=1");
            assertTrue(gpuSubmit.waitFor(300, TimeUnit.SECONDS), "GPU submit did not finish:\n" + ChildJvm.tail(gpuLog));
            assertEquals(0, gpuSubmit.exitValue(), "GPU submit failed:\n" + ChildJvm.tail(gpuLog));
            String gpuRun = Files.readString(gpuOut.resolve("LATEST")).strip();
            List<Row> gpuRows = TestSpark.get().read().parquet(gpuOut.resolve("runs").resolve(gpuRun).resolve("exams")
                    .toString()).filter("exam_id <> 'BAD_MISSING'").collectAsList();
            assertEquals(4, gpuRows.size());
            for (Row r : gpuRows) {
                String device = r.getAs("device");
                assertTrue("cuda:0".equals(device) || "cuda:1".equals(device), "device from the scheduler: " + device);
                assertEquals("failed", r.getAs("status"));
                String msg = r.getAs("error_message");
                assertTrue(msg.contains("CUDA"), msg);
            }
        }
    }

    private static void assertTable(Path localRun, Path clusterRun, String table, String columns) {
        Dataset<Row> a = TestSpark.get().read().parquet(localRun.resolve(table).toString()).selectExpr(columns.split(",\\s*"));
        Dataset<Row> b = TestSpark.get().read().parquet(clusterRun.resolve(table).toString()).selectExpr(columns.split(",\\s*"));
        assertEquals(a.count(), b.count(), table + " row count");
        assertTrue(a.count() > 0, table + " not empty");
        assertEquals(0, a.exceptAll(b).count(), table + ": rows only in the local run");
        assertEquals(0, b.exceptAll(a).count(), table + ": rows only in the cluster run");
    }
}
