package io.ctcohort.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.tables.Status;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.OrtSettings;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.pipeline.TestCohort;
import io.ctcohort.pipeline.TestModels;
import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
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
    /** The segmenting analyzer alone has a device: its request, resolved in each task against Spark's GPU. */
    @Test
    void onlyTheSegmentingAnalyzerResolvesADevice() {
        SegmentAnalyzer seg = TestModels.analyzer();
        assertEquals(Device.AUTO, seg.device(), "a request until a task resolves it");
        assertEquals(Device.cuda(2), seg.forTask(2).device());
        assertEquals(Device.CPU, seg.forTask(null).device(), "auto without a GPU: the CPU");
        assertEquals(Device.cuda(0), seg.on(Device.parse("cuda"), OrtSettings.UNSET).forTask(null).device());
        assertEquals(Device.CPU, seg.on(Device.CPU, OrtSettings.UNSET).forTask(2).device());
        assertEquals(Device.cuda(3), seg.on(Device.parse("cuda:3"), OrtSettings.UNSET).forTask(1).device());
        MeasureAnalyzer measure = new MeasureAnalyzer(LabelMap.total(), "masks:total");
        assertSame(measure, measure.forTask(2), "measuring needs no device");
        assertEquals("cpu", measure.device().toString(), "what its rows' device column says");
        assertNull(ExamTaskFunction.assignedGpu(null));
        CtCohortException e = assertThrows(CtCohortException.class, () -> Device.parse("tpu:1"));
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
                StagingStore staging = new StagingStore(tmp.resolve("staging-" + depth).toString(), conf, false);
                LongAccumulator done = spark.sparkContext().longAccumulator("done-" + depth);
                new ExamTaskFunction(analyzer, conf, staging, done, "test", 1).call(tasks.iterator());
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
        return new ExamTask(id, ImageRef.parse(file.toUri().toString()), null, "size=" + Files.size(file), Files.size(file),
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
