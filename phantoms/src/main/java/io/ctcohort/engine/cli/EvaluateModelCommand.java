package io.ctcohort.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.phantom.ModelEvaluation;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate-model}: Dice and volume error of a model on fresh phantoms (seeds unseen in training). */
@Command(name = "evaluate-model", mixinStandardHelpOptions = true,
        description = {"Segment freshly generated phantoms with a model and score it against their true label maps:",
                "per-structure Dice and volume error, mean Dice over structures, median |volume error|."})
public final class EvaluateModelCommand implements Callable<Integer> {
    @Option(names = "--exams", defaultValue = "20", description = "phantoms to generate (default ${DEFAULT-VALUE})")
    int exams;

    @Option(names = "--seed", defaultValue = "20260", description = "cohort seed; must differ from the model's training seeds (default ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    SegmenterOptions modelOptions;

    @Override
    public Integer call() {
        Segmenter segmenter = modelOptions.segmenter();
        JsonNode training = segmenter.card().training();
        if (training != null && training.has("cohort_seeds")) {
            for (JsonNode s : training.get("cohort_seeds")) {
                if (s.asLong() == seed) {
                    throw new CtCohortException("seed " + seed + " was used to train model " + segmenter.card().id()
                            + "; evaluate on a fresh seed");
                }
            }
        }
        System.out.printf(Locale.ROOT, "evaluate-model: %s on %d phantoms, seed %d%n", segmenter.card().id(), exams, seed);
        ModelEvaluation.Summary s = ModelEvaluation.run(segmenter, modelOptions.batch(), seed, exams, r -> System.out.printf(Locale.ROOT,
                "  %s  %5d ms  mean dice %.4f%n", r.examId(), r.millis(), r.scores().values().stream()
                        .mapToDouble(x -> x.dice()).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN)));
        System.out.printf(Locale.ROOT, "%-18s %9s %14s%n", "structure", "mean dice", "median |dV| %");
        s.meanDice().forEach((name, d) -> System.out.printf(Locale.ROOT, "%-18s %9.4f %14.2f%n", name, d,
                100 * s.medianAbsVolumeError().get(name)));
        System.out.printf(Locale.ROOT, "mean Dice over %d structures: %.4f%n", s.meanDice().size(), s.meanDiceOverStructures());
        System.out.printf(Locale.ROOT, "median |volume error| over all exams and structures: %.2f %%%n",
                100 * s.medianAbsVolumeErrorOverall());
        double meanMs = s.exams().stream().mapToLong(ModelEvaluation.ExamResult::millis).average().orElse(0);
        System.out.printf(Locale.ROOT, "mean segmentation time per exam: %.0f ms%n", meanMs);
        return 0;
    }
}
