package io.ctcohort.pipeline.job;

import io.ctcohort.engine.infer.Prefetcher;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamRunner;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.ImageSource;
import io.ctcohort.pipeline.exam.StagingStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of a run: each task analyzes its batch of exams ({@link ExamBatches}) with the
 * analyzer as the task runs it ({@link ExamAnalyzer#forTask}: on the GPU Spark gave it, if any) and publishes the batch's results to staging, in one file, before counting
 * them done. Nothing is returned to the driver:
 * the tables are built from staging, so a result exists once whether a task ran once, was retried,
 * or ran in an earlier, killed attempt.
 *
 * <p>Overlap: the next exam of the partition is read and preprocessed on a helper thread while the
 * current one infers ({@link Prefetcher}; system property {@value #PREFETCH_PROPERTY}, default 1, 0 = serial),
 * and several tasks may share one GPU and its session (spark.task.resource.gpu.amount below 1), so
 * that one task's CPU work fills the gaps in another's inference. Results are the same either way.
 */
final class ExamTaskFunction implements VoidFunction<Iterator<ExamTask>> {
    private static final long serialVersionUID = 1L;
    /** Executor system property: exams prepared ahead per task (memory: that many more CTs per task). */
    static final String PREFETCH_PROPERTY = "ctcohort.prefetch";

    private final ExamAnalyzer analyzer;
    private final Broadcast<HadoopConf> conf;
    private final StagingStore staging;
    private final LongAccumulator done;
    private final String pipelineVersion;
    private final int readAttempts;

    ExamTaskFunction(ExamAnalyzer analyzer, Broadcast<HadoopConf> conf, StagingStore staging, LongAccumulator done,
                     String pipelineVersion, int readAttempts) {
        this.analyzer = analyzer;
        this.conf = conf;
        this.staging = staging;
        this.done = done;
        this.pipelineVersion = pipelineVersion;
        this.readAttempts = readAttempts;
    }

    @Override
    public void call(Iterator<ExamTask> tasks) throws Exception {
        ImageSource images = new ImageSource(conf.value(), readAttempts);
        ExamAnalyzer onTask = analyzer.forTask(assignedGpu(TaskContext.get()));
        List<ExamTask> batch = new ArrayList<>();
        List<ExamResult> results = new ArrayList<>();
        try (Prefetcher<ExamTask, ExamRunner.Prepared> ahead = new Prefetcher<>(tasks,
                t -> ExamRunner.prepare(onTask, t, images), Integer.getInteger(PREFETCH_PROPERTY, 1))) {
            while (ahead.hasNext()) {
                Prefetcher.Prepared<ExamTask, ExamRunner.Prepared> next = ahead.next();
                ExamRunner.Prepared prepared = next.error() == null ? next.value()
                        : ExamRunner.Prepared.failed(next.error());
                batch.add(next.item());
                results.add(ExamRunner.run(onTask, next.item(), prepared, pipelineVersion));
            }
        }
        if (!batch.isEmpty()) {
            // A staging write that fails (after the store's own retries) fails the task: Spark retries it.
            staging.write(batch, results);
            done.add(batch.size());
        }
    }

    /** The GPU Spark's resource scheduler assigned this task (spark.task.resource.gpu.amount), else null. */
    static Integer assignedGpu(TaskContext tc) {
        Map<String, ResourceInformation> resources = tc == null ? null : tc.resourcesJMap();
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        return gpu != null && gpu.addresses().length > 0 ? Integer.valueOf(gpu.addresses()[0].trim()) : null;
    }
}
