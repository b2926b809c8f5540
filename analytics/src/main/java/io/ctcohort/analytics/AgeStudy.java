package io.ctcohort.analytics;

import io.ctcohort.analytics.report.PlotData;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole study on two tables, no I/O of its own (the programmatic entry point; {@link AnalyzeJob}
 * adds reading and writing). Spark SQL joins and filters (QC) and computes the age-quartile cuts;
 * one groupByKey by structure then runs every per-structure computation on the executors (age
 * effects, age-group summaries, plot data) in a single shuffle; the driver applies the
 * multiple-testing corrections to the collected rows.
 */
public final class AgeStudy {

    /** What the study found; {@code passed} stays cached until {@link #release()}. */
    public record Result(QualityControl.Result qc, List<AgeEffect> effects, List<AgeGroupRow> ageGroups,
                         Map<String, PlotData> plots, Map<String, Long> millis) {
        public Dataset<Row> passed() {
            return qc.passed();
        }

        public void release() {
            qc.passed().unpersist();
        }
    }

    private AgeStudy() {
    }

    public static Result run(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements, StudyOptions options) {
        Map<String, Long> millis = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        QualityControl.Result qc = QualityControl.apply(spark, exams, measurements, options);
        Dataset<Row> passed = qc.passed().cache();
        double[] cuts = AgeGroups.quartileCuts(passed);
        long t1 = System.nanoTime();
        millis.put("qc", (t1 - t0) / 1_000_000);

        PerStructure pass = new PerStructure(options, cuts);
        List<StructureResult> results = new ArrayList<>(passed
                .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .mapGroups((MapGroupsFunction<String, Row, StructureResult>) pass::apply,
                        Encoders.javaSerialization(StructureResult.class))
                .collectAsList());
        results.sort(Comparator.comparing(StructureResult::structure));
        List<AgeEffect> effects = new ArrayList<>();
        List<AgeGroupRow> groups = new ArrayList<>();
        Map<String, PlotData> plots = new LinkedHashMap<>();
        for (StructureResult r : results) {
            effects.addAll(r.effects());
            groups.addAll(r.ageGroups());
            plots.put(r.structure(), r.plot());
        }
        effects = AgeEffects.correct(effects);
        millis.put("per_structure", (System.nanoTime() - t1) / 1_000_000);
        return new Result(new QualityControl.Result(passed, qc.total(), qc.removed()), effects, groups, plots, millis);
    }

    /** The executor side: one structure's rows in, its effects, age groups and plot data out. */
    private record PerStructure(StudyOptions options, double[] cuts) implements Serializable {
        StructureResult apply(String structure, java.util.Iterator<Row> rows) {
            List<Subject> subjects = AgeEffects.subjects(rows, options.covariates().size());
            List<AgeEffect> effects = new StructureAnalyzer(options).analyze(structure, subjects);
            effects.sort(Comparator.comparing(AgeEffect::metric).thenComparing(AgeEffect::stratum));
            return new StructureResult(structure, effects, AgeGroups.forStructure(structure, subjects, cuts),
                    PlotData.of(structure, subjects));
        }
    }
}
