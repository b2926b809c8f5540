package io.ctcohort.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.tables.Status;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.pipeline.TestCohort;
import io.ctcohort.pipeline.TestModels;
import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.exam.StagingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamTaskFunctionTest {
    @Test
    void deviceRequestsResolveAgainstTheAssignedGpu() {
        assertEquals(Device.CPU, DeviceRequest.parse("auto").resolve(null));
        assertEquals(new Device(Device.Kind.CUDA, 2), DeviceRequest.parse("auto").resolve(2));
        assertEquals(Device.CPU, DeviceRequest.parse("cpu").resolve(2));
        assertEquals(new Device(Device.Kind.CUDA, 0), DeviceRequest.parse("cuda").resolve(null));
        assertEquals(new Device(Device.Kind.CUDA, 1), DeviceRequest.parse("GPU").resolve(1));
        assertEquals(new Device(Device.Kind.CUDA, 3), DeviceRequest.parse("cuda:3").resolve(1));
        assertEquals("cuda:3", DeviceRequest.parse("cuda:3").toString());
        assertNull(ExamTaskFunction.assignedGpu(null));
        CtCohortException e = assertThrows(CtCohortException.class, () -> DeviceRequest.parse("tpu:1"));
        assertTrue(e.getMessage().contains("'tpu:1'") && e.getMessage().contains("auto"), e.getMessage());
    }

    /**
     * A partition of several exams (a bad one among them) through the task function with the prefetch
     * off, one ahead and two ahead: every exam is staged once, with the same status, error and
     * measurements as the serial path.
     */
    @Test
    void prefetchingStagesWhatTheSerialPathDoes(@TempDir Path tmp) throws Exception {
        List<TestCohort.Exam> exams = TestCohort.write(tmp.resolve("data"), 3, 11);
        SegmentAnalyzer analyzer = TestModels.analyzer();
        List<ExamTask> tasks = new ArrayList<>();
        for (TestCohort.Exam e : exams) {
            tasks.add(task(e.examId(), e.file(), analyzer));
        }
        tasks.add(1, task("BAD", TestCohort.corrupt(tmp, "corrupt.nii.gz"), analyzer));

        SparkSession spark = TestSpark.get();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        List<List<ExamResult>> byDepth = new ArrayList<>();
        String before = System.getProperty(ExamTaskFunction.PREFETCH_PROPERTY);
        try {
            for (int depth : new int[] {0, 1, 2}) {
                System.setProperty(ExamTaskFunction.PREFETCH_PROPERTY, Integer.toString(depth));
                StagingStore staging = new StagingStore(tmp.resolve("staging-" + depth).toString(), conf.value(), false);
                LongAccumulator done = spark.sparkContext().longAccumulator("done-" + depth);
                new ExamTaskFunction(analyzer, conf, staging, done, DeviceRequest.CPU, "test", 1).call(tasks.iterator());
                assertEquals(tasks.size(), done.value());
                // One task, one batch: its results in one staged file, in the partition's order.
                byDepth.add(staging.read(StagingStore.batchName(tasks)));
            }
        } finally {
            if (before == null) {
                System.clearProperty(ExamTaskFunction.PREFETCH_PROPERTY);
            } else {
                System.setProperty(ExamTaskFunction.PREFETCH_PROPERTY, before);
            }
        }
        List<ExamResult> serial = byDepth.get(0);
        assertEquals(Status.FAILED.value(), serial.get(1).status());
        // The message names the image by role, not by path (file names may name patients).
        assertTrue(serial.get(1).errorMessage().startsWith("<image>"), serial.get(1).errorMessage());
        assertFalse(serial.get(1).errorMessage().contains("corrupt.nii.gz"), serial.get(1).errorMessage());
        for (List<ExamResult> results : byDepth) {
            for (int i = 0; i < tasks.size(); i++) {
                ExamResult s = serial.get(i);
                ExamResult r = results.get(i);
                assertEquals(s.examId(), r.examId());
                assertEquals(s.status(), r.status(), s.examId());
                assertEquals(s.errorClass(), r.errorClass(), s.examId());
                assertArrayEquals(s.dims(), r.dims(), s.examId());
                assertEquals(s.measurements(), r.measurements(), s.examId());
                assertEquals("cpu", r.device());
                if (r.ok()) {
                    assertFalse(r.measurements().isEmpty());
                    assertTrue(r.stageMillis().keySet().containsAll(List.of("read", "infer", "stats", "total")));
                }
            }
        }
    }

    private static ExamTask task(String id, Path file, SegmentAnalyzer analyzer) throws Exception {
        return new ExamTask(id, file.toUri().toString(), null, "size=" + Files.size(file), Files.size(file),
                analyzer.identity().sha256());
    }

    @Test
    void progressLineShowsRateAndEta() {
        assertEquals("segment: 30/120 exams, 10.0 exams/min, ETA 9m00s", ProgressReporter.line("segment", 30, 120, 3.0));
        assertEquals("segment: 0/5 exams, 0.0 exams/min, ETA --", ProgressReporter.line("segment", 0, 5, 0.5));
        assertTrue(ProgressReporter.line("segment", 10, 10000, 1.0).endsWith("ETA 16h39m"));
        assertTrue(ProgressReporter.line("measure", 5, 5, 1.0).endsWith("done"));
    }
}
