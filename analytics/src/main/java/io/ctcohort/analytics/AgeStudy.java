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
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.ExamsTable.CONTRAST_PHASE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * The whole study on two tables, no I/O of its own (the programmatic entry point; {@link AnalyzeJob}
 * adds reading and writing). Spark SQL joins and filters (QC); one groupByKey by structure then runs
 * every per-structure computation ({@link #analyzeGroup}) on the executors in a single shuffle;
 * the driver applies the multiple-testing corrections to the collected rows. The plain-Java engine
 * ({@code io.ctcohort.analytics.local.LocalAgeStudy}) runs the same {@link #analyzeGroup} on the
 * same rows in the same order, so both give identical results.
 */
public final class AgeStudy {

    /** What the study found; {@code passed} stays cached until {@link #release()}. */
    public record Result(QualityControl.Result qc, List<AgeEffect> effects, List<AgeGroupRow> ageGroups,
                         Map<String, PlotData> plots, Map<String, Long> millis, PhasePlan phases) {
        public Dataset<Row> passed() {
            return qc.passed();
        }

        /** The biomarkers' passing rows, or null where the run has no biomarkers table. */
        public Dataset<Row> passedBiomarkers() {
            return qc.biomarkers() == null ? null : qc.biomarkers().passed();
        }

        public void release() {
            qc.release();
        }
    }

    private AgeStudy() {
    }

    public static Result run(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements, StudyOptions options) {
        return run(spark, exams, measurements, null, options, true);
    }

    /** @param plots compute the report's plot data (LOESS curves); tables alone need none */
    public static Result run(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements, StudyOptions options,
                             boolean plots) {
        return run(spark, exams, measurements, null, options, plots);
    }

    /**
     * @param biomarkers the run's biomarkers table (null: none): each (site, biomarker) is studied like a
     *                   structure's metric
     */
    public static Result run(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements,
                             Dataset<Row> biomarkers, StudyOptions options, boolean plots) {
        Map<String, Long> millis = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        QualityControl.Result qc = QualityControl.apply(spark, exams, measurements, biomarkers, options);
        Dataset<Row> passed = qc.passed();
        // the analysed exams (a passing row, an age, sex F or M): their age quartiles and known phases
        Dataset<Row> analysed = passed.select(EXAM_ID, AGE, SEX, CONTRAST_PHASE);
        if (qc.biomarkers() != null) {
            analysed = analysed.union(qc.biomarkers().passed().select(EXAM_ID, AGE, SEX, CONTRAST_PHASE));
        }
        List<Row> examRows = analysed.filter(col(AGE).isNotNull().and(expr("NOT isnan(" + AGE + ")"))
                .and(col(SEX).isin("F", "M"))).select(EXAM_ID, AGE, CONTRAST_PHASE).distinct().collectAsList();
        double[] cuts = AgeGroups.quartileCuts(examRows.stream().mapToDouble(r -> r.<Double>getAs(AGE)).toArray());
        PhasePlan phases = PhasePlan.of(options.phase(), examRows.stream().map(r -> r.<String>getAs(CONTRAST_PHASE)).toList());
        long t1 = System.nanoTime();
        millis.put("qc", (t1 - t0) / 1_000_000);

        List<StructureResult> results = new ArrayList<>(perGroup(passed, options, cuts, phases, plots));
        if (qc.biomarkers() != null) {
            results.addAll(perGroup(qc.biomarkers().passed(), options, cuts, phases, false));
        }
        Findings f = Findings.of(results);
        millis.put("per_structure", (System.nanoTime() - t1) / 1_000_000);
        return new Result(qc, f.effects(), f.ageGroups(), f.plots(), millis, phases);
    }

    /** One groupByKey over QC-passed rows (measurements or biomarkers): every group analysed on the executors. */
    private static List<StructureResult> perGroup(Dataset<Row> passed, StudyOptions options, double[] cuts,
                                                  PhasePlan phases, boolean plots) {
        PassedRowReader reader = PassedRowReader.of(passed.schema(), options.covariates().size());
        PerStructure pass = new PerStructure(options, cuts, phases, plots, reader);
        return passed.groupByKey((MapFunction<Row, String>) reader::groupKey, Encoders.STRING())
                .mapGroups((MapGroupsFunction<String, Row, StructureResult>) pass::apply,
                        Encoders.javaSerialization(StructureResult.class))
                .collectAsList();
    }

    /** The per-group results merged in {@link MetricGroup#ORDER}, multiple-testing corrections applied. */
    public record Findings(List<AgeEffect> effects, List<AgeGroupRow> ageGroups, Map<String, PlotData> plots) {
        public static Findings of(List<StructureResult> results) {
            List<StructureResult> sorted = new ArrayList<>(results);
            sorted.sort(Comparator.comparing(StructureResult::group, MetricGroup.ORDER));
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
     * Everything the study computes from one group's QC-passed rows: its age effects (before the
     * multiple-testing corrections), age groups and, if asked (measured structures only), plot data.
     * {@code subjects} must be in {@link #SUBJECT_ORDER}: floating-point sums depend on the order of
     * their terms, and one order makes every engine's results identical to the last bit.
     */
    public static StructureResult analyzeGroup(MetricGroup group, List<Subject> subjects, StudyOptions options,
                                               double[] cuts, PhasePlan phases, boolean plots) {
        List<AgeEffect> effects = new StructureAnalyzer(options).analyze(group, subjects, phases);
        effects.sort(Comparator.comparing(AgeEffect::metric).thenComparing(AgeEffect::stratum)
                .thenComparing(AgeEffect::phase));
        return new StructureResult(group, effects, AgeGroups.forGroup(group, subjects, cuts),
                plots && !group.biomarker() ? PlotData.of(group.structure(), subjects) : null);
    }

    /** A QC-passed row with its exam_id, for sorting into {@link #SUBJECT_ORDER}. */
    public record Keyed(String examId, Subject subject) {
    }

    /**
     * The canonical order of a group's rows: by exam_id, then (a row listed twice) by its values in
     * the group's metric order (volume_ml, hu_mean); within one exam_id age, sex, covariates and phase
     * are the exam's.
     */
    public static final Comparator<Keyed> SUBJECT_ORDER = Comparator.comparing(Keyed::examId)
            .thenComparing((a, b) -> Arrays.compare(a.subject().values(), b.subject().values()));

    /** The executor side: one group's rows in, its effects, age groups and plot data out. */
    private record PerStructure(StudyOptions options, double[] cuts, PhasePlan phases, boolean plots,
                                PassedRowReader reader) implements Serializable {
        StructureResult apply(String key, Iterator<Row> rows) {
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
            return analyzeGroup(reader.group(key), subjects, options, cuts, phases, plots);
        }
    }
}
