package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.pipeline.FaultProxy.Fault;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.core.layout.OutputLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object-store faults between the pipeline and s3proxy ({@link FaultProxy}): throttling (503
 * SlowDown) and reset connections on reads and writes are retried by S3A and the run is complete;
 * a write of LATEST or _SUCCESS that fails after all retries fails the job with a message naming
 * the file (the command: exit code 3), the previous run stays LATEST and readable, and the re-run completes with every exam
 * exactly once. The bucket's S3A settings are per-bucket keys, so other tests' S3A settings in the
 * shared SparkSession do not matter.
 */
class ObjectStoreFaultsTest {
    private static final String BUCKET = "faults";
    private static final int RETRIES = 3;

    private static TestS3 s3;
    private static FaultProxy proxy;
    private static FileSystem fs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        s3 = TestS3.start(BUCKET);
        proxy = FaultProxy.start(s3.endpoint());
        Configuration h = TestSpark.get().sparkContext().hadoopConfiguration();
        String b = "fs.s3a.bucket." + BUCKET + ".";
        h.set(b + "endpoint", proxy.endpoint());
        h.set(b + "endpoint.region", "us-east-1");
        h.set(b + "path.style.access", "true");
        h.set(b + "connection.ssl.enabled", "false");
        h.set(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        h.set(b + "access.key", TestS3.ACCESS);
        h.set(b + "secret.key", TestS3.SECRET);
        // Hadoop's retry settings (conf/spark-defaults.s3a.conf), small so that the test is quick.
        h.setInt(b + "attempts.maximum", 1);
        h.setInt(b + "retry.limit", RETRIES);
        h.set(b + "retry.interval", "20ms");
        h.setInt(b + "retry.throttle.limit", RETRIES);
        h.set(b + "retry.throttle.interval", "20ms");
        fs = FileSystem.get(URI.create("s3a://" + BUCKET + "/"), h);
    }

    @AfterAll
    static void stop() throws Exception {
        Configuration h = TestSpark.get().sparkContext().hadoopConfiguration();
        h.getValByRegex("^fs\\.s3a\\.bucket\\." + BUCKET + "\\.").keySet().forEach(h::unset);
        if (fs != null) {
            fs.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @AfterEach
    void clearFaults() {
        proxy.clear();
    }

    @Test
    void throttlingAndResetsOnReadsAndWritesAreRetried() throws Exception {
        SparkSession spark = TestSpark.get();
        String manifest = upload("retry", 3, 3);
        int before = proxy.injected();
        proxy.on("GET", "/retry/ct/EX0000", Fault.SLOW_DOWN, 0, 2)      // image reads
                .on("GET", "/retry/ct/EX0001", Fault.RESET, 0, 1)
                .on("GET", "list-type=2", Fault.SLOW_DOWN, 0, 1)         // a listing
                .on("PUT", "/retry/out/staging/", Fault.SLOW_DOWN, 0, 1) // staged results
                .on("PUT", "/retry/out/staging/", Fault.RESET, 1, 1)
                .on("POST", "\\?uploads", Fault.RESET, 0, 1)              // the committer's multipart uploads
                .on("PUT", "[?&]partNumber=", Fault.SLOW_DOWN, 0, 1);

        RunSummary s = job(manifest, "s3a://faults/retry/out");
        assertEquals(3, s.ok());
        assertEquals(0, s.failed());
        for (int n : proxy.injectedPerRule()) {
            assertTrue(n > 0, "every rule injected its fault: " + proxy.injectedPerRule());
        }
        ReliabilityFigures.Audit audit = ReliabilityFigures.audit(spark, "s3a://faults/retry/out/runs/" + s.runId(),
                3, TestModels.analyzer().structureCount());
        assertEquals(new ReliabilityFigures.Audit(0, 0), audit);
        ReliabilityFigures.record(getClass(), "object store: 503 SlowDown and resets retried", 0,
                proxy.injected() - before, audit);
    }

    @Test
    void failedPublishKeepsThePreviousRunAndTheRerunCompletes() throws Exception {
        SparkSession spark = TestSpark.get();
        String all = upload("publish", 3, 11);
        String firstTwo = "s3a://faults/publish/first-two.csv";
        write(firstTwo, OutputLayout.readSmall(fs, new org.apache.hadoop.fs.Path(all)).lines().limit(3)
                .reduce("", (a, l) -> a + l + "\n"));
        String out = "s3a://faults/publish/out";
        OutputLayout layout = new OutputLayout(out, spark.sparkContext().hadoopConfiguration());
        long structures = TestModels.analyzer().structureCount();
        RunSummary first = job(firstTwo, out);
        assertEquals(2, first.ok());
        int before = proxy.injected();

        // LATEST throttled on every attempt: S3A gives up; the job fails naming the file.
        proxy.on("PUT", "/publish/out/LATEST$", Fault.SLOW_DOWN, 0, Integer.MAX_VALUE);
        IOException latestFailed = assertThrows(IOException.class, () -> job(all, out));
        assertTrue(latestFailed.getMessage().contains("not published: cannot write") && latestFailed.getMessage()
                .contains("/LATEST"), latestFailed.getMessage());
        assertTrue(proxy.injected() - before > RETRIES, "S3A retried before giving up: " + proxy.injected());
        proxy.clear();
        assertPreviousRunIntact(layout, first, structures);

        // The run's _SUCCESS cut off on every attempt, through the command line: exit code 3, one clear line.
        proxy.on("PUT", "/publish/out/runs/[^/]+/_SUCCESS$", Fault.RESET, 0, Integer.MAX_VALUE);
        Path log = tmp.resolve("segment.log");
        Process segment = ChildJvm.start(tmp, List.of("-Xmx2g", "-Daws.accessKeyId=" + TestS3.ACCESS,
                "-Daws.secretAccessKey=" + TestS3.SECRET), "io.ctcohort.cli.CtCohortCli", cliArgs(all, out), log);
        assertTrue(segment.waitFor(300, TimeUnit.SECONDS), "segment did not finish:\n" + ChildJvm.tail(log));
        String said = Files.readString(log);
        assertEquals(3, segment.exitValue(), ChildJvm.tail(log));
        assertTrue(said.contains("error: run ") && said.contains("not published: cannot write")
                && said.contains("/_SUCCESS"), ChildJvm.tail(log));
        proxy.clear();
        assertPreviousRunIntact(layout, first, structures);

        // The re-run publishes every exam exactly once: two carried over, the third from staging or anew.
        RunSummary rerun = job(all, out);
        assertEquals(3, rerun.ok());
        assertEquals(2, rerun.carried());
        assertEquals(1, rerun.reused() + rerun.processed());
        assertEquals(rerun.runId(), layout.latestRunId().orElseThrow());
        ReliabilityFigures.Audit audit = ReliabilityFigures.audit(spark, out + "/runs/" + rerun.runId(), 3, structures);
        assertEquals(new ReliabilityFigures.Audit(0, 0), audit);
        ReliabilityFigures.record(getClass(), "object store: LATEST and _SUCCESS writes failed, re-run", 0,
                proxy.injected() - before, audit);
    }

    private static void assertPreviousRunIntact(OutputLayout layout, RunSummary previous, long structures) {
        assertEquals(previous.runId(), layout.latestRunId().orElseThrow(), "LATEST still names the previous run");
        assertEquals(new ReliabilityFigures.Audit(0, 0), ReliabilityFigures.audit(TestSpark.get(),
                layout.runDir(previous.runId()).toString(), 2, structures), "previous run readable and whole");
    }

    /** {@code ctcohort segment} on this bucket through the proxy; keys from system properties, never in a config. */
    private static List<String> cliArgs(String manifest, String out) {
        List<String> args = new ArrayList<>(List.of("segment", "--manifest", manifest, "--out", out, "--master",
                "local[1]", "--incremental", "--device", "cpu", "--no-progress", "--model", TestModels.dir().toString(),
                "--conf", "spark.hadoop.fs.s3a.aws.credentials.provider="
                        + "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider"));
        Configuration h = TestSpark.get().sparkContext().hadoopConfiguration();
        h.getValByRegex("^fs\\.s3a\\.bucket\\." + BUCKET + "\\.").forEach((k, v) -> {
            if (!k.endsWith(".access.key") && !k.endsWith(".secret.key") && !k.endsWith(".credentials.provider")) {
                args.addAll(List.of("--conf", "spark.hadoop." + k + "=" + v));
            }
        });
        return args;
    }

    private static RunSummary job(String manifest, String out) throws IOException {
        return new CohortJob(TestSpark.get(), TestModels.analyzer(),
                new CohortJob.Options(manifest, out, true, 0, false, 3), System.err).run();
    }

    /** Uploads {@code n} exams under s3a://faults/PREFIX/ct/ and returns their manifest's URI. */
    private String upload(String prefix, int n, long seed) throws IOException {
        List<TestCohort.Exam> exams = TestCohort.write(tmp.resolve(prefix), n, seed);
        StringBuilder csv = new StringBuilder("exam_id,patient_id,age,sex,image_uri\n");
        for (TestCohort.Exam e : exams) {
            String uri = "s3a://" + BUCKET + "/" + prefix + "/ct/" + e.file().getFileName();
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(e.file().toUri()), new org.apache.hadoop.fs.Path(uri));
            csv.append(e.examId()).append(',').append(e.patientId()).append(',').append(e.age()).append(',')
                    .append(e.sex()).append(',').append(uri).append('\n');
        }
        String manifest = "s3a://" + BUCKET + "/" + prefix + "/manifest.csv";
        write(manifest, csv.toString());
        return manifest;
    }

    private static void write(String uri, String text) throws IOException {
        try (var out = fs.create(new org.apache.hadoop.fs.Path(uri))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
