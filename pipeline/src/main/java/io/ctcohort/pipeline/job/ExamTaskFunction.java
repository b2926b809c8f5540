package io.ctcohort.pipeline.job;

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
 * The executor side of a run: each task analyzes its batch of exams ({@link ExamBatches}) on the
 * device Spark gave it and publishes the batch's results to staging, in one file, before counting
 * them done. Nothing is returned to the driver:
 * the tables are built from staging, so a result exists once whether a task ran once, was retried,
 * or ran in an earlier, killed attempt.
 */
final class ExamTaskFunction implements VoidFunction<Iterator<ExamTask>> {
    private static final long serialVersionUID = 1L;

    private final ExamAnalyzer analyzer;
    private final Broadcast<HadoopConf> conf;
    private final StagingStore staging;
    private final LongAccumulator done;
    private final String devicePreference;
    private final String pipelineVersion;
    private final int readAttempts;

    ExamTaskFunction(ExamAnalyzer analyzer, Broadcast<HadoopConf> conf, StagingStore staging, LongAccumulator done,
                     String devicePreference, String pipelineVersion, int readAttempts) {
        this.analyzer = analyzer;
        this.conf = conf;
        this.staging = staging;
        this.done = done;
        this.devicePreference = devicePreference;
        this.pipelineVersion = pipelineVersion;
        this.readAttempts = readAttempts;
    }

    @Override
    public void call(Iterator<ExamTask> tasks) throws Exception {
        ImageSource images = new ImageSource(conf.value(), readAttempts);
        String device = deviceFor(devicePreference, TaskContext.get());
        List<ExamTask> batch = new ArrayList<>();
        List<ExamResult> results = new ArrayList<>();
        while (tasks.hasNext()) {
            ExamTask task = tasks.next();
            batch.add(task);
            results.add(ExamRunner.run(analyzer, task, images, device, pipelineVersion));
        }
        if (!batch.isEmpty()) {
            // A staging write that fails (after the store's own retries) fails the task: Spark retries it.
            staging.write(batch, results);
            done.add(batch.size());
        }
    }

    /**
     * The device of this task: "cpu" when asked; otherwise ("auto", "cuda") the GPU Spark's resource
     * scheduler assigned the task (spark.task.resource.gpu.amount), else "cuda:0" for "cuda" and
     * "cpu" for "auto"; an explicit "cuda:N" is taken as given.
     */
    static String deviceFor(String preference, TaskContext tc) {
        if ("auto".equals(preference) || "cuda".equals(preference)) {
            Map<String, ResourceInformation> resources = tc == null ? null : tc.resourcesJMap();
            ResourceInformation gpu = resources == null ? null : resources.get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                return "cuda:" + gpu.addresses()[0];
            }
            return "cuda".equals(preference) ? "cuda:0" : "cpu";
        }
        return preference;
    }
}
