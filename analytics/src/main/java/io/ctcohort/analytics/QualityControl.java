package io.ctcohort.analytics;

import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.METRIC;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STATUS;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.Columns.VALUE;
import static io.ctcohort.core.tables.ExamsTable.CONTRAST_PHASE;
import static io.ctcohort.core.tables.MeasurementsTable.HU_MEAN;
import static io.ctcohort.core.tables.MeasurementsTable.TOUCHES_BORDER;
import static io.ctcohort.core.tables.MeasurementsTable.VOLUME_ML;
import static io.ctcohort.core.tables.MeasurementsTable.VOXEL_COUNT;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

/**
 * Joins measurements to their exams and applies the QC rules ({@link QcRule#MEASUREMENTS}, in order: a
 * row is counted under the first rule that removes it): {@code no_exam_row}, {@code exam_not_ok},
 * {@code touches_border} (unless the structure is one of the options' {@code borderExempt}),
 * {@code empty}, {@code below_min_volume} (optional table, e.g. conf/qc-min-volume.csv). Each rule is
 * defined once in {@link QcRule}; this engine applies it as a UDF over the joined columns, the local
 * engine per row, so the two cannot drift apart.
 * The result has one row per passing measurement with the columns structure, exam_id, age, sex
 * (upper-cased; female/male spelled out become F/M), volume_ml, hu_mean, the covariates and
 * contrast_phase (a known phase, else null: {@link ContrastPhases#normalize}).
 *
 * <p>A {@code biomarkers} table, where the run has one, passes {@link QcRule#BIOMARKERS}: the same
 * exam rules, then {@code no_value} (value null or NaN: the biomarker was not measurable, its reason
 * says why). Its passing rows have structure (= site), metric (= biomarker), exam_id, age, sex, value,
 * the covariates and contrast_phase.
 */
public final class QualityControl {
    /** The measurements' rule codes, in order ({@link QcRule#MEASUREMENTS}). */
    public static final List<String> RULES = QcRule.codes(QcRule.MEASUREMENTS);
    /** The biomarkers' rule codes, in order ({@link QcRule#BIOMARKERS}). */
    public static final List<String> BIOMARKER_RULES = QcRule.codes(QcRule.BIOMARKERS);
    private static final String PASS = "pass";
    /** The column of each row's rule code (or pass), and the one Spark's count() names. */
    private static final String RULE = "qc_rule";
    private static final String COUNT = "count";
    /** The biomarkers' rules read no limits. */
    private static final QcRule.Limits NO_LIMITS = new QcRule.Limits(java.util.Set.of(), Map.of());
    /** {@link QcRule#BIOMARKERS} over (status, site, biomarker, value): the code of the first broken, else pass. */
    private static final UserDefinedFunction BIOMARKER_RULE = org.apache.spark.sql.functions.udf(
            (UDF4<String, String, String, Double, String>) (status, site, name, value) -> code(QcRule.firstBroken(
                    QcRule.BIOMARKERS, QcRule.Row.biomarker(status, site, name, value == null ? Double.NaN : value),
                    NO_LIMITS)), DataTypes.StringType);
    /** The same normalization in both engines: one Java function, a UDF here. */
    private static final UserDefinedFunction PHASE = org.apache.spark.sql.functions.udf(
            (UDF1<String, String>) ContrastPhases::normalize, DataTypes.StringType);

    /** The columns QC reads from each table (both engines: Spark here, plain Java in LocalCohort). */
    public static final List<String> EXAM_COLUMNS = List.of(EXAM_ID, AGE, SEX, STATUS);
    public static final List<String> MEASUREMENT_COLUMNS = List.of(EXAM_ID, STRUCTURE, VOXEL_COUNT, VOLUME_ML, HU_MEAN);
    public static final List<String> BIOMARKER_COLUMNS =
            List.of(EXAM_ID, BiomarkersTable.SITE, BiomarkersTable.BIOMARKER, VALUE);

    /** Exams tables up to this many rows are broadcast to the measurements instead of shuffled with them. */
    static final long BROADCAST_EXAMS = 2_000_000;

    /**
     * The passing rows, and how many rows there were and each rule removed (in rule order).
     * {@code cached} is what holds them in memory until {@link #release()}.
     */
    public record Result(Dataset<Row> passed, long total, Map<String, Long> removed, Dataset<Row> cached,
                         Biomarkers biomarkers) {
        public Result(Dataset<Row> passed, long total, Map<String, Long> removed) {
            this(passed, total, removed, passed, null);
        }

        public long kept() {
            return total - removed.values().stream().mapToLong(Long::longValue).sum();
        }

        public void release() {
            cached.unpersist();
            if (biomarkers != null) {
                biomarkers.cached().unpersist();
            }
        }
    }

    /** The biomarkers' passing rows and counts ({@link #BIOMARKER_RULES}); null where a run has no such table. */
    public record Biomarkers(Dataset<Row> passed, long total, Map<String, Long> removed, Dataset<Row> cached) {
    }

    private QualityControl() {
    }

    /** --model asks for a model, but the measurements do not say which rows are whose (both engines). */
    public static AnalyticsException noModelColumn(String modelId) {
        return noModelColumn(MeasurementsTable.NAME, modelId);
    }

    /** --model asks for a model, but {@code table} does not say which rows are whose (both engines). */
    public static AnalyticsException noModelColumn(String table, String modelId) {
        return new AnalyticsException(table + ": no " + MODEL_ID + " column, cannot select model " + modelId);
    }

    /**
     * No --model, and {@code table} holds rows of several models, e.g. {@code first} and {@code second} (both
     * engines).
     */
    public static AnalyticsException severalModels(String table, Object first, Object second) {
        return new AnalyticsException(table + " hold several models (e.g. " + first + ", " + second
                + "): choose one with --model");
    }

    /** {@code table}'s rows of the model --model chose; without --model, {@code rows} refused if they hold several. */
    private static Dataset<Row> oneModel(String table, Dataset<Row> rows, StudyOptions options) {
        if (options.modelId() != null) {
            if (!has(rows, MODEL_ID)) {
                throw noModelColumn(table, options.modelId());
            }
            return rows.filter(col(MODEL_ID).equalTo(options.modelId()));
        }
        if (has(rows, MODEL_ID)) {
            List<Row> models = rows.select(MODEL_ID).distinct().limit(2).collectAsList();
            if (models.size() > 1) {
                throw severalModels(table, models.get(0).getAs(MODEL_ID), models.get(1).getAs(MODEL_ID));
            }
        }
        return rows;
    }

    /**
     * {@link QcRule#MEASUREMENTS} under {@code limits} over (status, structure, voxel_count, volume_ml,
     * touches_border): the code of the first rule broken, else pass.
     */
    private static UserDefinedFunction measurementRule(QcRule.Limits limits) {
        return org.apache.spark.sql.functions.udf((UDF5<String, String, Long, Double, Boolean, String>)
                (status, structure, voxels, volume, touches) -> code(QcRule.firstBroken(QcRule.MEASUREMENTS,
                        QcRule.Row.measurement(status, structure, voxels == null ? 0 : voxels,
                                volume == null ? Double.NaN : volume, touches != null && touches), limits)),
                DataTypes.StringType);
    }

    private static String code(QcRule broken) {
        return broken == null ? PASS : broken.code();
    }

    /** The passing rows' name for the i-th covariate (options' order). */
    static String covariate(int i) {
        return "cov_" + i;
    }

    public static Result apply(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements, StudyOptions options) {
        return apply(spark, exams, measurements, null, options);
    }

    /** @param biomarkers the run's biomarkers table, or null where it has none */
    public static Result apply(SparkSession spark, Dataset<Row> exams, Dataset<Row> measurements,
                               Dataset<Row> biomarkers, StudyOptions options) {
        requireColumns(ExamsTable.NAME, exams, EXAM_COLUMNS.toArray(String[]::new));
        requireColumns(MeasurementsTable.NAME, measurements, MEASUREMENT_COLUMNS.toArray(String[]::new));
        for (String c : options.covariates()) {
            requireColumns(ExamsTable.NAME, exams, c);
        }

        boolean byModel = has(exams, MODEL_ID) && has(measurements, MODEL_ID);
        measurements = oneModel(MeasurementsTable.NAME, measurements, options);
        if (options.modelId() != null && has(exams, MODEL_ID)) {
            exams = exams.filter(col(MODEL_ID).equalTo(options.modelId()));
        }

        List<Column> examCols = new ArrayList<>(List.of(col(EXAM_ID), col(AGE).cast("double").as(AGE),
                normalizedSex(col(SEX)).as(SEX), col(STATUS)));
        if (byModel) {
            examCols.add(col(MODEL_ID));
        }
        for (int i = 0; i < options.covariates().size(); i++) {
            examCols.add(col(options.covariates().get(i)).cast("double").as(covariate(i)));
        }
        examCols.add((has(exams, CONTRAST_PHASE) ? PHASE.apply(col(CONTRAST_PHASE).cast("string"))
                : lit(null).cast("string")).as(CONTRAST_PHASE));
        Dataset<Row> e = exams.select(examCols.toArray(Column[]::new));

        List<Column> mCols = new ArrayList<>(List.of(col(EXAM_ID), col(STRUCTURE),
                col(VOXEL_COUNT).cast("long").as(VOXEL_COUNT), col(VOLUME_ML).cast("double").as(VOLUME_ML),
                col(HU_MEAN).cast("double").as(HU_MEAN),
                (has(measurements, TOUCHES_BORDER) ? coalesce(col(TOUCHES_BORDER), lit(false)) : lit(false))
                        .as(TOUCHES_BORDER)));
        if (byModel) {
            mCols.add(col(MODEL_ID));
        }
        Dataset<Row> m = measurements.select(mCols.toArray(Column[]::new));

        List<String> keys = byModel ? List.of(EXAM_ID, MODEL_ID) : List.of(EXAM_ID);
        requireOneExamRowPerKey(e, keys, has(exams, MODEL_ID) && !byModel);
        // one exams row per exam against ~100 measurement rows per exam: broadcast it, one pass, no shuffle
        Dataset<Row> examSide = e.count() <= BROADCAST_EXAMS ? broadcast(e) : e;
        Dataset<Row> joined = m.join(examSide, scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "left");
        Column rule = measurementRule(QcRule.Limits.of(options)).apply(col(STATUS), col(STRUCTURE), col(VOXEL_COUNT),
                col(VOLUME_ML), col(TOUCHES_BORDER));
        Ruled r = Ruled.of(joined, studied(options, col(STRUCTURE), col(EXAM_ID), col(AGE), col(SEX), col(VOLUME_ML),
                col(HU_MEAN)), rule, RULES);
        Biomarkers b = biomarkers == null ? null : biomarkers(examSide, biomarkers, options);
        return new Result(r.passed(), r.total(), r.counts(), r.ruled(), b);
    }

    /**
     * The biomarkers' QC against the exams side already prepared for the measurements (same model
     * filter and columns; it carries model_id where the measurements are joined by model).
     */
    private static Biomarkers biomarkers(Dataset<Row> examSide, Dataset<Row> biomarkers, StudyOptions options) {
        requireColumns(BiomarkersTable.NAME, biomarkers, BIOMARKER_COLUMNS.toArray(String[]::new));
        boolean byModel = has(examSide, MODEL_ID) && has(biomarkers, MODEL_ID);
        biomarkers = oneModel(BiomarkersTable.NAME, biomarkers, options);
        List<Column> bCols = new ArrayList<>(List.of(col(EXAM_ID), col(BiomarkersTable.SITE).as(STRUCTURE),
                col(BiomarkersTable.BIOMARKER).as(METRIC), col(VALUE).cast("double").as(VALUE)));
        if (byModel) {
            bCols.add(col(MODEL_ID));
        }
        List<String> keys = byModel ? List.of(EXAM_ID, MODEL_ID) : List.of(EXAM_ID);
        Dataset<Row> side = byModel || !has(examSide, MODEL_ID) ? examSide : examSide.drop(MODEL_ID);
        // (exams of one model, or a key check already passed: exam_id alone is unique here)
        Dataset<Row> joined = biomarkers.select(bCols.toArray(Column[]::new))
                .join(side, scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "left");
        Column rule = BIOMARKER_RULE.apply(col(STATUS), col(STRUCTURE), col(METRIC), col(VALUE));
        Ruled r = Ruled.of(joined, studied(options, col(STRUCTURE), col(METRIC), col(EXAM_ID), col(AGE), col(SEX),
                col(VALUE)), rule, BIOMARKER_RULES);
        return new Biomarkers(r.passed(), r.total(), r.counts(), r.ruled());
    }

    /** The columns a study reads: {@code first}, then the covariates and the contrast phase. */
    private static List<Column> studied(StudyOptions options, Column... first) {
        List<Column> out = new ArrayList<>(List.of(first));
        for (int i = 0; i < options.covariates().size(); i++) {
            out.add(col(covariate(i)));
        }
        out.add(col(CONTRAST_PHASE));
        return out;
    }

    /**
     * Rows with their QC rule, kept (read and joined once: the rule counts, the age cuts and the
     * per-structure pass all use them), the rows that pass, and the count of rows each rule removed.
     */
    private record Ruled(Dataset<Row> passed, long total, Map<String, Long> counts, Dataset<Row> ruled) {
        static Ruled of(Dataset<Row> joined, List<Column> out, Column rule, List<String> rules) {
            List<Column> kept = new ArrayList<>(out);
            kept.add(rule.as(RULE));
            Dataset<Row> ruled = joined.select(kept.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
            Map<String, Long> counts = new LinkedHashMap<>();
            rules.forEach(r -> counts.put(r, 0L));
            long total = 0;
            for (Row r : ruled.groupBy(RULE).count().collectAsList()) {
                String code = r.getAs(RULE);
                long count = r.<Long>getAs(COUNT);
                total += count;
                if (!PASS.equals(code)) {
                    counts.put(code, count);
                }
            }
            Dataset<Row> passed = ruled.filter(col(RULE).equalTo(PASS)).select(out.toArray(Column[]::new));
            return new Ruled(passed, total, counts, ruled);
        }
    }

    /**
     * Each measurement joins to exactly one exam row; a repeated key (an exam listed twice, or exams of
     * several models while the measurements carry no model_id) would silently count a measurement twice.
     */
    private static void requireOneExamRowPerKey(Dataset<Row> e, List<String> keys, boolean modelsUntold) {
        List<Row> repeated = e.groupBy(keys.stream().map(k -> col(k)).toArray(Column[]::new)).count()
                .filter(col(COUNT).gt(1)).limit(1).collectAsList();
        if (!repeated.isEmpty()) {
            Row r = repeated.get(0);
            String key = keys.stream().map(k -> String.valueOf(r.<Object>getAs(k))).collect(Collectors.joining(" / "));
            throw new AnalyticsException(ExamsTable.NAME + ": " + String.join(" / ", keys) + " " + key + " has "
                    + r.<Long>getAs(COUNT) + " rows"
                    + (modelsUntold ? "; the exams hold several models but the measurements carry no model_id "
                    + "to tell them apart" : "; each exam must appear once"));
        }
    }

    private static Column normalizedSex(Column sex) {
        Column s = upper(trim(sex));
        return when(s.isin("F", "FEMALE", "W"), lit("F")).when(s.isin("M", "MALE"), lit("M")).otherwise(s);
    }

    static boolean has(Dataset<Row> table, String column) {
        return Arrays.asList(table.columns()).contains(column);
    }

    private static void requireColumns(String table, Dataset<Row> data, String... columns) {
        for (String c : columns) {
            if (!has(data, c)) {
                throw new AnalyticsException(table + ": missing column '" + c + "' (has " + Arrays.toString(data.columns()) + ")");
            }
        }
    }
}
