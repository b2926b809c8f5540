package io.ctcohort.pipeline.cli;

import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.pipeline.demo.Demo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctcohort demo}: the whole study on a phantom cohort with planted age effects, in local mode. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole study on a phantom cohort with planted age effects, in local mode:",
            "generate the phantoms, segment them with the bundled demo model through Spark",
            "(incremental), run the age study, write the HTML report, and print each",
            "planted effect (organs' and biomarkers') beside the one recovered from the",
            "segmentation (phase-adjusted, unadjusted and, where validated, calibrated) and the",
            "one fitted on the truth. The manifest carries each exam's true contrast phase and,",
            "for every 10th exam, its true label map as reference_mask_uri (validation).",
            "OUT/cohort: phantoms (reused for the same --exams and --seed);",
            "OUT/output: runs and tables; OUT/report: index.html, planted_vs_recovered.csv."})
public final class DemoCommand implements Callable<Integer>, BadInputHandler.Prefixed {
    @Option(names = "--exams", defaultValue = "200", paramLabel = "N",
            description = "Phantom exams (default ${DEFAULT-VALUE}: every planted effect significant).")
    int exams;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Cohort seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "URL",
            description = "Spark master (default ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory instead of the bundled demo model.")
    Path model;

    @Option(names = "--true-masks",
            description = "Measure the true label maps instead of segmenting (the ceiling: recovered = truth).")
    boolean trueMasks;

    @Option(names = "--threads", paramLabel = "N", description = "Phantom generator threads (default: all cores).")
    Integer threads;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark configuration (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The last run's result (for tests that drive the command in-process). */
    Demo.Result lastResult;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        lastResult = new Demo(new Demo.Options(exams, out, seed, master, model, t, conf, trueMasks), System.out).run();
        return 0;
    }

    @Override
    public String errorPrefix() {
        return "demo: ";
    }
}
