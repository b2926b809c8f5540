package io.ctcohort.engine.phantom;

import io.ctcohort.engine.infer.Segmenter;
import io.ctcohort.engine.labels.LabelMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a segmentation model on freshly generated phantoms and scores it against their true label
 * maps: per structure mean Dice and median absolute volume error, the mean Dice over structures and
 * the median absolute volume error over all (exam, structure) pairs.
 */
public final class ModelEvaluation {
    /** One exam's scores and its inference time. */
    public record ExamResult(String examId, Map<String, SegmentationScore.StructureScore> scores, long millis) {
    }

    /** Summary per structure and overall. */
    public record Summary(List<ExamResult> exams, Map<String, Double> meanDice, Map<String, Double> medianAbsVolumeError,
                         double meanDiceOverStructures, double medianAbsVolumeErrorOverall) {
    }

    private ModelEvaluation() {
    }

    /**
     * @param batch    tiles per ONNX Runtime call
     * @param progress called after each exam (may be null)
     */
    public static Summary run(Segmenter segmenter, int batch, long seed, int exams, Consumer<ExamResult> progress) {
        PhantomGenerator gen = new PhantomGenerator(seed);
        Map<Integer, String> structures = structuresOf(segmenter.labelMap());
        List<ExamResult> results = new ArrayList<>();
        for (int i = 0; i < exams; i++) {
            PhantomExam e = gen.generate(i);
            long t0 = System.nanoTime();
            var predicted = segmenter.segment(e.ct(), batch).labels();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ExamResult r = new ExamResult(e.examId(), SegmentationScore.compute(e.labels(), predicted, structures), ms);
            results.add(r);
            if (progress != null) {
                progress.accept(r);
            }
        }
        return summarize(results);
    }

    /** The phantom structures the model knows (by TotalSegmentator name), at the phantom's label indices. */
    static Map<Integer, String> structuresOf(LabelMap modelLabels) {
        Map<Integer, String> m = new LinkedHashMap<>();
        var known = modelLabels.asMap().values();
        PhantomStructures.LABELS.forEach((label, name) -> {
            if (known.contains(name)) {
                m.put(label, name);
            }
        });
        return m;
    }

    static Summary summarize(List<ExamResult> results) {
        Map<String, Double> meanDice = new LinkedHashMap<>();
        Map<String, Double> medVol = new LinkedHashMap<>();
        List<Double> allAbsVol = new ArrayList<>();
        if (!results.isEmpty()) {
            for (String s : results.get(0).scores().keySet()) {
                double[] dice = results.stream().mapToDouble(r -> r.scores().get(s).dice()).filter(d -> !Double.isNaN(d)).toArray();
                double[] vol = results.stream().mapToDouble(r -> Math.abs(r.scores().get(s).volumeError()))
                        .filter(d -> !Double.isNaN(d)).toArray();
                meanDice.put(s, Arrays.stream(dice).average().orElse(Double.NaN));
                medVol.put(s, median(vol));
                for (double v : vol) {
                    allAbsVol.add(v);
                }
            }
        }
        double meanOver = meanDice.values().stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d))
                .average().orElse(Double.NaN);
        return new Summary(results, meanDice, medVol, meanOver,
                median(allAbsVol.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /**
     * NaN for no values; the mean of the two middle values for an even count. Written here: Commons
     * Math is a test-only dependency of the engine, and a median does not justify shipping it.
     */
    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
