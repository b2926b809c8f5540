package io.ctcohort.analytics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole study on two tables, no I/O of its own: QC, then age effects (per-structure fits on
 * the executors) and age groups (Spark SQL). The programmatic entry point; {@link AnalyzeJob} adds
 * reading and writing.
 */
public final class AgeStudy {

    /** What the study found. {@code passed} is cached; call {@link #release()} when done. */
    public record Result(QualityControl.Result qc, List<AgeEffect> effects, Dataset<Row> ageGroups,
                         Map<String, Long> millis) {
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
        long t1 = System.nanoTime();
        millis.put("qc", (t1 - t0) / 1_000_000);
        List<AgeEffect> effects = AgeEffects.compute(passed, options);
        long t2 = System.nanoTime();
        millis.put("age_effects", (t2 - t1) / 1_000_000);
        Dataset<Row> groups = AgeGroups.compute(passed).cache();
        groups.count();
        millis.put("age_groups", (System.nanoTime() - t2) / 1_000_000);
        return new Result(new QualityControl.Result(passed, qc.total(), qc.removed()), effects, groups, millis);
    }

    /** The passing measurements grouped by structure, for plots (collected to the driver). */
    public static Map<String, List<Subject>> subjectsByStructure(Dataset<Row> passed) {
        Map<String, List<Subject>> out = new java.util.TreeMap<>();
        for (Row r : passed.select("structure", "exam_id", "age", "sex", "volume_ml", "hu_mean").collectAsList()) {
            out.computeIfAbsent(r.getString(0), s -> new java.util.ArrayList<>()).add(AgeEffects.subject(r, 0));
        }
        return out;
    }
}
