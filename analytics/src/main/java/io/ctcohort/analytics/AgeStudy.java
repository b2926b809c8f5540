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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.SEX;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * The whole study on two tables, no I/O of its own (the programmatic entry point; {@link AnalyzeJob}
 * adds reading and writing). Spark SQL joins and filters (QC); one groupByKey by structure then runs
 * every per-structure computation ({@link #analyzeStructure}) on the executors in a single shuffle;
 * the driver applies the multiple-testing corrections to the collected rows. The plain-Java engine
 * ({@code io.ctcohort.analytics.local.LocalAgeStudy}) runs the same {@link #analyzeStructure} on the
 * same rows in the same order, so both give identical results.
 */
public final class AgeStudy {

    /** What the study found; {@code passed} stays cached until {@link #release()}. */
    public record Result(QualityControl.Result qc, List<AgeEffect> effects, List<AgeGroupRow> ageGroups,
                         Map<String, PlotData> plots, Map<String, Long> millis) {
        public Dataset<Row> passed() {
            return qc.passed();
        }

        public void release() {
            qc.release();
        }
    }

    private AgeStudy() {
    }

    public static Result run(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements, StudyOptions options) {
        return run(spark, exams, measurements, options, true);
    }

    /** @param plots compute the report's plot data (LOESS curves); tables alone need none */
    public static Result run(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements, StudyOptions options,
                             boolean plots) {
        Map<String, Long> millis = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        QualityControl.Result qc = QualityControl.apply(spark, exams, measurements, options);
        Dataset<Row> passed = qc.passed();
        double[] cuts = AgeGroups.quartileCuts(passed.filter(col(AGE).isNotNull().and(expr("NOT isnan(" + AGE + ")"))
                        .and(col(SEX).isin("F", "M"))).select(EXAM_ID, AGE).distinct().select(AGE)
                .collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray());
        long t1 = System.nanoTime();
        millis.put("qc", (t1 - t0) / 1_000_000);

        PassedRowReader reader = PassedRowReader.of(passed.schema(), options.covariates().size());
        PerStructure pass = new PerStructure(options, cuts, plots, reader);
        List<StructureResult> results = new ArrayList<>(passed
                .groupByKey((MapFunction<Row, String>) reader::structure, Encoders.STRING())
                .mapGroups((MapGroupsFunction<String, Row, StructureResult>) pass::apply,
                        Encoders.javaSerialization(StructureResult.class))
                .collectAsList());
        Findings f = Findings.of(results);
        millis.put("per_structure", (System.nanoTime() - t1) / 1_000_000);
        return new Result(qc, f.effects(), f.ageGroups(), f.plots(), millis);
    }

    /** The per-structure results merged in structure order, multiple-testing corrections applied. */
    public record Findings(List<AgeEffect> effects, List<AgeGroupRow> ageGroups, Map<String, PlotData> plots) {
        public static Findings of(List<StructureResult> results) {
            List<StructureResult> sorted = new ArrayList<>(results);
            sorted.sort(Comparator.comparing(StructureResult::structure));
            List<AgeEffect> effects = new ArrayList<>();
            List<AgeGroupRow> groups = new ArrayList<>();
            Map<String, PlotData> plots = new LinkedHashMap<>();
            for (StructureResult r : sorted) {
                effects.addAll(r.effects());
                groups.addAll(r.ageGroups());
                if (r.plot() != null) {
                    plots.put(r.structure(), r.plot());
                }
            }
            return new Findings(AgeEffects.correct(effects), groups, plots);
        }
    }

    /**
     * Everything the study computes from one structure's QC-passed rows: its age effects (before the
     * multiple-testing corrections), age groups and, if asked, plot data. {@code subjects} must be in
     * {@link #SUBJECT_ORDER}: floating-point sums depend on the order of their terms, and one order
     * makes every engine's results identical to the last bit.
     */
    public static StructureResult analyzeStructure(String structure, List<Subject> subjects, StudyOptions options,
                                                   double[] cuts, boolean plots) {
        List<AgeEffect> effects = new StructureAnalyzer(options).analyze(structure, subjects);
        effects.sort(Comparator.comparing(AgeEffect::metric).thenComparing(AgeEffect::stratum));
        return new StructureResult(structure, effects, AgeGroups.forStructure(structure, subjects, cuts),
                plots ? PlotData.of(structure, subjects) : null);
    }

    /** A QC-passed row with its exam_id, for sorting into {@link #SUBJECT_ORDER}. */
    public record Keyed(String examId, Subject subject) {
    }

    /**
     * The canonical order of a structure's rows: by exam_id, then (a measurement listed twice) by
     * volume_ml and hu_mean; within one exam_id age, sex and covariates are the exam's.
     */
    public static final Comparator<Keyed> SUBJECT_ORDER = Comparator.comparing(Keyed::examId)
            .thenComparing((a, b) -> Double.compare(a.subject().volumeMl(), b.subject().volumeMl()))
            .thenComparing((a, b) -> Double.compare(a.subject().huMean(), b.subject().huMean()));

    /** The executor side: one structure's rows in, its effects, age groups and plot data out. */
    private record PerStructure(StudyOptions options, double[] cuts, boolean plots, PassedRowReader reader)
            implements Serializable {
        StructureResult apply(String structure, Iterator<Row> rows) {
            List<Keyed> keyed = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                keyed.add(new Keyed(reader.examId(r), reader.subject(r)));
            }
            keyed.sort(SUBJECT_ORDER);
            List<Subject> subjects = new ArrayList<>(keyed.size());
            for (Keyed k : keyed) {
                subjects.add(k.subject());
            }
            return analyzeStructure(structure, subjects, options, cuts, plots);
        }
    }
}
