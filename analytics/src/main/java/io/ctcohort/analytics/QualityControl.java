package io.ctcohort.analytics;

import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.Status;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

/**
 * Joins measurements to their exams and applies the QC rules, in order (a row is counted under the
 * first rule that removes it):
 * <ol>
 *   <li>{@code no_exam_row}: no exams row for the measurement;</li>
 *   <li>{@code exam_not_ok}: the exam's status is not {@code ok};</li>
 *   <li>{@code touches_border}: the structure touches the volume border (likely cut off), unless it is
 *       one of the options' {@code borderExempt} structures;</li>
 *   <li>{@code empty}: voxel_count 0 or null (the structure was not found), or no structure name;</li>
 *   <li>{@code below_min_volume}: volume_ml below the structure's minimum plausible volume
 *       (optional table, e.g. conf/qc-min-volume.csv; implausibly small segmentations are failures).</li>
 * </ol>
 * The result has one row per passing measurement with the columns structure, exam_id, age, sex
 * (upper-cased; female/male spelled out become F/M), volume_ml, hu_mean, the covariates and
 * contrast_phase (a known phase, else null: {@link ContrastPhases#normalize}).
 *
 * <p>A {@code biomarkers} table, where the run has one, passes the same exam rules, then
 * {@code no_value} (value null or NaN: the biomarker was not measurable, its reason says why);
 * {@link #BIOMARKER_RULES}. Its passing rows have structure (= site), metric (= biomarker), exam_id,
 * age, sex, value, the covariates and contrast_phase.
 */
public final class QualityControl {
    public static final List<String> RULES =
            List.of("no_exam_row", "exam_not_ok", "touches_border", "empty", "below_min_volume");
    public static final List<String> BIOMARKER_RULES = List.of("no_exam_row", "exam_not_ok", "no_value");
    private static final String PASS = "pass";
    /** The biomarkers' rule in both engines: one Java function ({@link #biomarkerRule}), a UDF here. */
    private static final UserDefinedFunction BIOMARKER_RULE = org.apache.spark.sql.functions.udf(
            (UDF4<String, Double, String, String, String>) (status, value, site, name) -> {
                int r = biomarkerRule(status, value == null ? Double.NaN : value, site, name);
                return r < 0 ? PASS : BIOMARKER_RULES.get(r);
            }, DataTypes.StringType);
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
        return new AnalyticsException(MeasurementsTable.NAME + ": no " + MODEL_ID + " column, cannot select model "
                + modelId);
    }

    /**
     * The first of {@link #BIOMARKER_RULES} a biomarker row breaks (its index), or -1 when it passes.
     *
     * @param status the exam's status; null when the row has no exam
     * @param value  NaN when null
     */
    public static int biomarkerRule(String status, double value, String site, String biomarker) {
        if (status == null) {
            return 0;
        }
        if (!status.equals(Status.OK.value())) {
            return 1;
        }
        if (Double.isNaN(value) || site == null || biomarker == null) {
            return 2;
        }
        return -1;
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
        if (options.modelId() != null) {
            if (!has(measurements, MODEL_ID)) {
                throw noModelColumn(options.modelId());
            }
            measurements = measurements.filter(col(MODEL_ID).equalTo(options.modelId()));
            if (has(exams, MODEL_ID)) {
                exams = exams.filter(col(MODEL_ID).equalTo(options.modelId()));
            }
        } else if (has(measurements, MODEL_ID)) {
            List<Row> models = measurements.select(MODEL_ID).distinct().limit(2).collectAsList();
            if (models.size() > 1) {
                throw new AnalyticsException("measurements hold several models (e.g. " + models.get(0).get(0) + ", "
                        + models.get(1).get(0) + "): choose one with --model");
            }
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
        Column belowMin = lit(false);
        if (!options.minVolumeMl().isEmpty()) {
            joined = joined.join(broadcast(minVolumeTable(spark, options.minVolumeMl())),
                    scala.jdk.javaapi.CollectionConverters.asScala(List.of(STRUCTURE)).toSeq(), "left");
            belowMin = coalesce(col(VOLUME_ML).lt(col("min_volume_ml")), lit(false));
        }
        Column touches = options.borderExempt().isEmpty() ? col(TOUCHES_BORDER)
                : col(TOUCHES_BORDER).and(not(col(STRUCTURE).isin(options.borderExempt().toArray())));
        Column rule = when(col(STATUS).isNull(), lit(RULES.get(0)))
                .when(col(STATUS).notEqual(lit(Status.OK.value())), lit(RULES.get(1)))
                .when(touches, lit(RULES.get(2)))
                .when(coalesce(col(VOXEL_COUNT), lit(0L)).leq(0L).or(col(STRUCTURE).isNull()), lit(RULES.get(3)))
                .when(belowMin, lit(RULES.get(4)))
                .otherwise(lit(PASS));
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
        if (options.modelId() != null) {
            if (!has(biomarkers, MODEL_ID)) {
                throw new AnalyticsException(BiomarkersTable.NAME + ": no " + MODEL_ID + " column, cannot select model "
                        + options.modelId());
            }
            biomarkers = biomarkers.filter(col(MODEL_ID).equalTo(options.modelId()));
        } else if (has(biomarkers, MODEL_ID)) {
            List<Row> models = biomarkers.select(MODEL_ID).distinct().limit(2).collectAsList();
            if (models.size() > 1) {
                throw new AnalyticsException("biomarkers hold several models (e.g. " + models.get(0).get(0) + ", "
                        + models.get(1).get(0) + "): choose one with --model");
            }
        }
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
        Column rule = BIOMARKER_RULE.apply(col(STATUS), col(VALUE), col(STRUCTURE), col(METRIC));
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
            kept.add(rule.as("qc_rule"));
            Dataset<Row> ruled = joined.select(kept.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
            Map<String, Long> counts = new LinkedHashMap<>();
            rules.forEach(r -> counts.put(r, 0L));
            long total = 0;
            for (Row r : ruled.groupBy("qc_rule").count().collectAsList()) {
                total += r.getLong(1);
                if (!PASS.equals(r.getString(0))) {
                    counts.put(r.getString(0), r.getLong(1));
                }
            }
            Dataset<Row> passed = ruled.filter(col("qc_rule").equalTo(PASS)).select(out.toArray(Column[]::new));
            return new Ruled(passed, total, counts, ruled);
        }
    }

    /**
     * Each measurement joins to exactly one exam row; a repeated key (an exam listed twice, or exams of
     * several models while the measurements carry no model_id) would silently count a measurement twice.
     */
    private static void requireOneExamRowPerKey(Dataset<Row> e, List<String> keys, boolean modelsUntold) {
        List<Row> repeated = e.groupBy(keys.stream().map(k -> col(k)).toArray(Column[]::new)).count()
                .filter(col("count").gt(1)).limit(1).collectAsList();
        if (!repeated.isEmpty()) {
            Row r = repeated.get(0);
            String key = keys.size() == 1 ? String.valueOf(r.get(0)) : r.get(0) + " / " + r.get(1);
            throw new AnalyticsException(ExamsTable.NAME + ": " + String.join(" / ", keys) + " " + key + " has "
                    + r.getLong(keys.size()) + " rows"
                    + (modelsUntold ? "; the exams hold several models but the measurements carry no model_id "
                    + "to tell them apart" : "; each exam must appear once"));
        }
    }

    private static Column normalizedSex(Column sex) {
        Column s = upper(trim(sex));
        return when(s.isin("F", "FEMALE", "W"), lit("F")).when(s.isin("M", "MALE"), lit("M")).otherwise(s);
    }

    private static Dataset<Row> minVolumeTable(SparkSession spark, Map<String, Double> minVolumeMl) {
        StructType schema = new StructType().add(STRUCTURE, DataTypes.StringType)
                .add("min_volume_ml", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        minVolumeMl.forEach((s, v) -> rows.add(RowFactory.create(s, v)));
        return spark.createDataFrame(rows, schema);
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
