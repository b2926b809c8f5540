package io.ctcohort.pipeline.demo;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.QualityControl;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.core.spark.SparkSessions;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.infer.OrtSettings;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.phantom.PhantomStructures;
import io.ctcohort.engine.phantom.PlantedEffects;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.exam.ModelSource;
import io.ctcohort.pipeline.exam.SegmentAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The whole study on a phantom cohort, as {@code bin/ctcohort demo} runs it:
 * <ol>
 * <li>cohort: phantom CTs with planted age effects into OUT/cohort (reused for the same N and seed);</li>
 * <li>segment: the Spark pipeline in local mode with the demo model into OUT/output, incremental
 *     (a re-run carries every unchanged exam over);</li>
 * <li>analyze: the age study of that run; tables into the run folder, the HTML report into OUT/report;</li>
 * <li>compare: the same study fitted on the truth (truth.csv and truth_biomarkers.csv), and each planted
 *     effect, the structures' and the biomarkers', beside both estimates (OUT/report/planted_vs_recovered.csv),
 *     and how often the engine's phase estimator would have agreed with the true phase.</li>
 * </ol>
 * The segmented manifest carries the truth's contrast phase and, for a tenth of the exams, the true label
 * map as reference_mask_uri ({@link DemoCohort}).
 * Aorta and autochthon run through every phantom's field of view, so the border QC rule, which
 * would remove them from every exam, is off for them (in both fits); their volume is the part in the scan.
 */
public final class Demo {
    /** model_id of the rows measured from the true label maps ({@code --true-masks}). */
    public static final String TRUE_MASKS_MODEL_ID = "phantom-truth-masks";
    /**
     * ONNX Runtime threads per session, as {@code segment} reads it; the demo's default is 1. local[*]
     * runs one task per core and every task calls the one shared session, so a session's own default
     * (a pool of all cores) would put cores x cores threads on the cores, spinning while they wait:
     * on 2 cores that cost 27 % more CPU per exam (docs/DESIGN.md "The demo model's tile step and the
     * demo's speed"). {@code --conf spark.ctcohort.ort.threads=N} changes it.
     */
    static final String ORT_THREADS_CONF = "spark.ctcohort.ort.threads";

    /**
     * @param modelDir  model directory; null = the bundled demo model
     * @param threads   phantom generator threads
     * @param sparkConf extra Spark settings
     */
    public record Options(int exams, Path out, long seed, String master, Path modelDir, int threads,
                          Map<String, String> sparkConf, boolean trueMasks) {
        public Options(int exams, Path out, long seed, String master, Path modelDir, int threads,
                       Map<String, String> sparkConf) {
            this(exams, out, seed, master, modelDir, threads, sparkConf, false);
        }
    }

    /** What the demo produced and how long each stage took (seconds, in order). */
    public record Result(Path report, Path runFolder, Path comparisonCsv, RunSummary run, PlantedComparison comparison,
                         PhaseAgreement phaseAgreement, Map<String, Double> stageSeconds) {
    }

    private final Options options;
    private final PrintStream log;
    /** Process CPU seconds per stage, printed beside the wall seconds. */
    private final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
    private long cpuAtBanner;

    public Demo(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public Result run() throws IOException {
        DemoCohort.requirePositive(options.exams());
        Path out = options.out().toAbsolutePath().normalize();
        Map<String, Double> seconds = new LinkedHashMap<>();
        int stages = 4;

        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.sql.shuffle.partitions", "8");
        conf.put(ORT_THREADS_CONF, "1");
        conf.putAll(options.sparkConf());
        // The model is checked (card, sha256) before minutes go into the cohort.
        ExamAnalyzer analyzer = analyzer(conf.get(ORT_THREADS_CONF));

        long t = banner(1, stages, "cohort: " + options.exams() + " phantom exams -> " + out.resolve("cohort"));
        DemoCohort cohort = new DemoCohort(out.resolve("cohort"), options.exams(), options.seed());
        cohort.ensure(options.threads(), log);
        done("cohort", t, seconds);

        String with = options.trueMasks() ? "the true label maps (measure, no model)"
                : "the " + (options.modelDir() == null ? "bundled demo" : options.modelDir().toString()) + " model";
        t = banner(2, stages, "segment: Spark (" + (options.master() == null ? "local[*]" : options.master())
                + ") with " + with + " -> " + out.resolve("output"));
        // A session that already exists in this JVM (a caller's, a test's) is used and left running.
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSessions.create("ctcohort demo", options.master() == null ? "local[*]" : options.master(),
                conf);
        try {
            // The demo's manifests carry the truth's phase (see DemoCohort: the estimator cannot read these phantoms).
            Path manifest = options.trueMasks() ? cohort.studyManifestWithMasks() : cohort.studyManifest();
            CohortJob.Options jobOptions = new CohortJob.Options(manifest.toString(),
                    out.resolve("output").toString(), true, 2, true, 3);
            RunSummary summary = new CohortJob(spark, analyzer, jobOptions, log).run();
            done("segment", t, seconds);

            t = banner(3, stages, "analyze: age effects of run " + summary.runId() + " -> " + out.resolve("report"));
            // This model's rows only: an output folder may also hold rows of another model (an earlier --model).
            StudyOptions study = new StudyOptions(List.of(), false, Map.of(), summary.modelId())
                    .withBorderExempt(PlantedEffects.structuresCrossingFieldOfView());
            AnalyzeJob.Summary analysis = AnalyzeJob.run(spark, out.resolve("output").toString(), null,
                    out.resolve("report"), study);
            log.printf(Locale.ROOT, "analyze: %d effects; QC kept %d of %d rows, removed %s%n", analysis.effects(),
                    analysis.qcTotal() - analysis.qcRemoved().values().stream().mapToLong(Long::longValue).sum(),
                    analysis.qcTotal(), analysis.qcRemoved());
            done("analyze", t, seconds);

            t = banner(4, stages, "compare: planted effects vs recovered vs fitted on the truth");
            OutputLayout.Run run = analysis.run();
            Dataset<Row> exams = spark.read().parquet(run.exams().toString());
            Dataset<Row> measurements = spark.read().parquet(run.measurements().toString());
            Dataset<Row> effects = spark.read().parquet(run.table(AgeEffectsTable.NAME).toString());
            Dataset<Row> runMeasurements =
                    measurements.filter(functions.col(Columns.MODEL_ID).equalTo(summary.modelId()));
            Map<String, Estimate> segmented = Estimate.of(effects,
                    QualityControl.apply(spark, exams, measurements, study).passed());
            Map<String, Estimate> truth = TruthFit.fit(spark, cohort.manifest(), cohort.truth(),
                    cohort.truthBiomarkers(), exams.filter(functions.col(Columns.MODEL_ID).equalTo(summary.modelId())),
                    new StudyOptions(List.of(), false, Map.of(), null).withBorderExempt(study.borderExempt()));
            PlantedComparison comparison = new PlantedComparison(segmented, truth);
            PhaseAgreement phases = PhaseAgreement.of(runMeasurements, truthPhases(spark, cohort.truth()));
            Path csv = out.resolve("report").resolve(PlantedComparison.CSV);
            comparison.writeCsv(csv);
            done("compare", t, seconds);

            log.println();
            comparison.print(log);
            log.println();
            log.println("report: " + analysis.reportIndex());
            log.println("effects table: " + csv);
            log.println("tables: " + run.folder() + " (exams, measurements, biomarkers, age_effects, age_groups)");
            StringBuilder times = new StringBuilder("wall time per stage:");
            double total = 0;
            for (var e : seconds.entrySet()) {
                times.append(String.format(Locale.ROOT, " %s %.1f s,", e.getKey(), e.getValue()));
                total += e.getValue();
            }
            log.println(times.append(String.format(Locale.ROOT, " total %.1f s", total)));
            StringBuilder cpu = new StringBuilder("CPU time per stage (this JVM, all threads):");
            cpuSeconds.forEach((k, v) -> cpu.append(String.format(Locale.ROOT, " %s %.1f s,", k, v)));
            log.println(cpu.append(String.format(Locale.ROOT, " total %.1f s",
                    cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum())));
            log.println(phases.line());
            log.println(comparison.verdict().line());
            return new Result(analysis.reportIndex(), java.nio.file.Paths.get(run.folder().toUri()), csv, summary,
                    comparison, phases, seconds);
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    private ExamAnalyzer analyzer(String ortThreads) {
        if (options.trueMasks()) {
            // The ceiling: the true label maps measured as if they were the segmentation.
            return new MeasureAnalyzer(LabelMap.of(PhantomStructures.LABELS), TRUE_MASKS_MODEL_ID);
        }
        SegmentAnalyzer model = SegmentAnalyzer.of(options.modelDir() == null ? ModelSource.BUNDLED
                : ModelSource.directory(options.modelDir()));
        return model.on(Device.AUTO, OrtSettings.parse(ortThreads, ORT_THREADS_CONF, null, null));
    }

    /** exam_id -> the phase truth.csv records for it. */
    private static Map<String, String> truthPhases(SparkSession spark, Path truth) {
        Map<String, String> out = new HashMap<>();
        for (Row r : spark.read().option("header", "true").csv(truth.toUri().toString())
                .select(Columns.EXAM_ID, ExamsTable.CONTRAST_PHASE).distinct().collectAsList()) {
            out.put(r.getString(0), r.getString(1));
        }
        return out;
    }

    private long banner(int stage, int stages, String what) {
        log.printf("%n== [%d/%d] %s%n", stage, stages, what);
        cpuAtBanner = processCpuNanos();
        return System.nanoTime();
    }

    /** Records the stage's wall seconds and prints them with the process CPU seconds it took. */
    private void done(String stage, long start, Map<String, Double> seconds) {
        double s = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuAtBanner) / 1e9;
        seconds.put(stage, s);
        cpuSeconds.put(stage, cpu);
        log.printf(Locale.ROOT, "   (%.1f s, CPU %.1f s)%n", s, cpu);
    }

    /**
     * CPU time of this JVM, every thread and ONNX Runtime's own included; 0 where the JVM cannot tell.
     * On a loaded machine wall time says little; CPU time says what a stage costs.
     */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }
}
