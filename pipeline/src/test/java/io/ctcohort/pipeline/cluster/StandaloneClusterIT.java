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
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1 built from the Maven jars alone: a temporary
 * SPARK_HOME whose jars/ links Spark's and Hadoop's jars (target/spark-classpath.txt), a Master and
 * two Worker JVMs, and the application jar (target/ctcohort-app.jar: everything but Spark/Hadoop)
 * submitted through org.apache.spark.deploy.SparkSubmit. Its tables equal a local-mode run's.
 */
class StandaloneClusterIT {
    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void applicationJarOnAStandaloneClusterGivesTheSameTables() throws Exception {
        Path appJar = Paths.get(System.getProperty("ctcohort.pipeline.appJar", "target/ctcohort-app.jar"));
        Path sparkCp = Paths.get(System.getProperty("ctcohort.pipeline.sparkClasspath", "target/spark-classpath.txt"));
        assumeTrue(Files.exists(appJar) && Files.exists(sparkCp), "run through `mvn verify`: needs " + appJar);

        List<TestCohort.Exam> exams = TestCohort.write(tmp.resolve("data"), 4, 300);
        Path manifest = TestCohort.manifest(tmp.resolve("manifest.csv"), exams, List.<String[]>of(new String[] {
            "BAD_MISSING", "P1", "40", "F", tmp.resolve("data/missing.nii.gz").toUri().toString()}));

        Path home = sparkHome(sparkCp);
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        try {
            Path masterLog = tmp.resolve("master.log");
            start(home, List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
                    List.of("--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port",
                            String.valueOf(freePort())), masterLog);
            waitFor(masterLog, "I have been elected leader", 120);
            for (int w = 1; w <= 2; w++) {
                Path log = tmp.resolve("worker" + w + ".log");
                // Each worker offers one (pretend) GPU, as conf/getGpusResources.sh would report a real one.
                Path gpu = tmp.resolve("gpu" + w + ".sh");
                Files.writeString(gpu, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"" + (w - 1) + "\"]}'\n");
                gpu.toFile().setExecutable(true);
                start(home, List.of("-Xmx256m", "-Dspark.worker.resource.gpu.amount=1",
                        "-Dspark.worker.resource.gpu.discoveryScript=" + gpu), "org.apache.spark.deploy.worker.Worker",
                        List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "3g", "--webui-port",
                                String.valueOf(freePort()), "--work-dir", tmp.resolve("work" + w).toString(), master), log);
                waitFor(log, "Successfully registered with master", 120);
            }

            Path clusterOut = tmp.resolve("out-cluster");
            Path submitLog = tmp.resolve("submit.log");
            Process submit = submit(home, master, appJar, manifest, clusterOut, "cpu", submitLog,
                    "spark.executor.memory=2g");
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
                    "exams", "exam_id, patient_id, age, sex, image_uri, input_fingerprint, status, error_class, dim_x, "
                            + "dim_y, dim_z, spacing_x, spacing_y, spacing_z, model_id, model_sha256");
            // The cluster's exams table holds the 4 good exams as ok (the bad one is its own failed row).
            assertEquals(4, TestSpark.get().read().parquet(clusterOut.resolve("runs").resolve(clusterRun)
                    .resolve("exams").toString()).filter("status = 'ok'").count());

            // GPU executors: each task takes the GPU Spark's scheduler gave it (TaskContext.resources).
            // This build has no CUDA provider, so every exam fails, naming its device and the reason.
            Path gpuOut = tmp.resolve("out-gpu");
            Path gpuLog = tmp.resolve("submit-gpu.log");
            Process gpuSubmit = submit(home, master, appJar, manifest, gpuOut, "auto", gpuLog,
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
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                stop(processes.get(i));
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

    /** SPARK_HOME/jars linking Spark's and Hadoop's jars: what a Spark distribution holds. */
    private Path sparkHome(Path classpathFile) throws IOException {
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        String entries = Files.readString(classpathFile).strip();
        Path runtime = classpathFile.resolveSibling("spark-runtime-classpath.txt");
        if (Files.exists(runtime)) {
            entries += java.io.File.pathSeparator + Files.readString(runtime).strip();
        }
        for (String entry : entries.split(java.io.File.pathSeparator)) {
            Path jar = Paths.get(entry);
            if (entry.endsWith(".jar") && Files.exists(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Files.createDirectories(home.resolve("conf"));
        return home;
    }

    /** {@code ctcohort segment} through SparkSubmit in client mode, with these extra {@code --conf}s. */
    private Process submit(Path home, String master, Path appJar, Path manifest, Path out, String device, Path log,
                           String... confs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
                "--class", "io.ctcohort.cli.CtCohortCli",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.cores=1",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", ChildJvm.jvmOpens())));
        for (String conf : confs) {
            args.addAll(List.of("--conf", conf));
        }
        args.addAll(List.of(appJar.toAbsolutePath().toString(), "segment", "--manifest", manifest.toString(),
                "--out", out.toString(), "--device", device, "--model", TestModels.dir().toString()));
        return start(home, List.of("-Xmx1g"), "org.apache.spark.deploy.SparkSubmit", args, log);
    }

    private Process start(Path home, List<String> jvmArgs, String main, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ChildJvm.java());
        cmd.addAll(ChildJvm.jvmOpens());
        cmd.addAll(jvmArgs);
        Path log4j = ChildJvm.log4jConfig();
        if (log4j != null && main.endsWith("SparkSubmit")) {
            cmd.add("-Dlog4j.configurationFile=" + log4j); // Master and Workers keep Spark's INFO log: the test waits on it
        }
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + "/*");
        cmd.add(main);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void waitFor(Path log, String line, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' in " + log + ":\n" + ChildJvm.tail(log));
    }

    /** SIGTERM first (a Worker's shutdown hook stops its executors), then SIGKILL what is left, by PID. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
