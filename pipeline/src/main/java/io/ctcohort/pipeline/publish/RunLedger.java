package io.ctcohort.pipeline.publish;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.pipeline.exam.InputFingerprint;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A run's ledger, {@code runs/<run_id>/_ledger}: one small row per row of its exams table, (exam_id,
 * model_id), holding what the next run needs to plan and publish without opening the tables' many
 * bucket files: status and error class, the model checksum, 64-bit hashes of the input fingerprint
 * and of the exam's manifest columns, and how many rows the exam has in each other table. A few
 * Parquet files, written whole by every run (so kept small: hashes, not the 64-character fingerprints),
 * read in one small Spark job; the tables stay the record users read.
 */
public final class RunLedger {
    public static final String FOLDER = "_ledger";
    public static final String MANIFEST_HASH = "manifest_hash";
    /** {@link #hash} of the exam's input fingerprint; null where the input was missing (never carried over). */
    public static final String FINGERPRINT_HASH = "fingerprint_hash";
    public static final String MEASUREMENT_ROWS = "measurement_rows";
    public static final String BIOMARKER_ROWS = "biomarker_rows";
    public static final String VALIDATION_ROWS = "validation_rows";
    /** The ledger's columns: read with this schema, so that no Spark job infers it from the files. */
    public static final StructType SCHEMA = new StructType()
            .add(Columns.EXAM_ID, DataTypes.StringType)
            .add(Columns.MODEL_ID, DataTypes.StringType)
            .add(Columns.STATUS, DataTypes.StringType)
            .add(ExamsTable.ERROR_CLASS, DataTypes.StringType)
            .add(FINGERPRINT_HASH, DataTypes.LongType)
            .add(ExamsTable.MODEL_SHA256, DataTypes.StringType)
            .add(MEASUREMENT_ROWS, DataTypes.IntegerType)
            .add(BIOMARKER_ROWS, DataTypes.IntegerType)
            .add(VALIDATION_ROWS, DataTypes.IntegerType)
            .add(MANIFEST_HASH, DataTypes.LongType);
    /** Ledger rows per file: one file for a cohort of a million exams is about 15 MB. */
    private static final long ROWS_PER_FILE = 2_000_000;

    private static final UserDefinedFunction HASH = functions.udf(
            (UDF1<String, Long>) t -> t == null ? null : ExamBucket.digest64(t), DataTypes.LongType);

    private RunLedger() {
    }

    public static Path folder(OutputLayout layout, String runId) {
        return new Path(layout.runDir(runId), FOLDER);
    }

    public static boolean exists(OutputLayout layout, String runId) throws IOException {
        return layout.fs().exists(folder(layout, runId));
    }

    /**
     * The ledger of a run, read from its Parquet files by name (Spark warns of a hidden folder given as a
     * root path, though it reads it).
     */
    public static Dataset<Row> read(SparkSession spark, OutputLayout layout, String runId) throws IOException {
        List<String> files = BucketedTables.parquetFiles(layout.fs(), folder(layout, runId)).stream()
                .map(f -> f.getPath().toString()).toList();
        if (files.isEmpty()) {
            throw new IOException("run " + runId + ": its ledger " + folder(layout, runId) + " holds no Parquet file");
        }
        return spark.read().schema(SCHEMA).parquet(files.toArray(String[]::new));
    }

    /**
     * The hash of each exam's manifest columns as the exams table holds them (exam_id, hash): a changed
     * age or sex changes it. Null fields are left out of the JSON by name, so no two rows collide by
     * position.
     */
    public static Dataset<Row> manifestHashes(Dataset<Row> shared) {
        Column[] columns = Stream.of(shared.schema().fieldNames()).map(functions::col).toArray(Column[]::new);
        return shared.select(functions.col(Columns.EXAM_ID),
                HASH.apply(functions.to_json(functions.struct(columns))).as(MANIFEST_HASH));
    }

    /**
     * A text's 64-bit hash ({@link ExamBucket#digest64}: SHA-256, so no Spark version changes it); two
     * different fingerprints of one exam collide with probability 2^-64.
     */
    public static Column hash(Column text) {
        return HASH.apply(text);
    }

    /**
     * This run's ledger: the fresh results' rows and the previous ledger's rows this run keeps, each
     * with its exam's manifest hash.
     *
     * @param results  this run's results (exam struct, measurements, biomarkers, validation arrays)
     * @param kept     the previous run's ledger rows this run keeps, or null
     */
    static Dataset<Row> of(Dataset<Row> results, Dataset<Row> kept, Dataset<Row> hashes) {
        Dataset<Row> rows = results.select(
                functions.col("exam." + Columns.EXAM_ID).as(Columns.EXAM_ID),
                functions.col("exam." + Columns.MODEL_ID).as(Columns.MODEL_ID),
                functions.col("exam." + Columns.STATUS).as(Columns.STATUS),
                functions.col("exam." + ExamsTable.ERROR_CLASS).as(ExamsTable.ERROR_CLASS),
                functions.when(functions.col("exam." + ExamsTable.INPUT_FINGERPRINT).equalTo(InputFingerprint.MISSING),
                        functions.lit(null).cast(DataTypes.LongType))
                        .otherwise(hash(functions.col("exam." + ExamsTable.INPUT_FINGERPRINT))).as(FINGERPRINT_HASH),
                functions.col("exam." + ExamsTable.MODEL_SHA256).as(ExamsTable.MODEL_SHA256),
                functions.size(functions.col("measurements")).as(MEASUREMENT_ROWS),
                functions.size(functions.col("biomarkers")).as(BIOMARKER_ROWS),
                functions.size(functions.col("validation")).as(VALIDATION_ROWS));
        if (kept != null) {
            // Every row takes its exam's hash from this run's manifest.
            rows = rows.unionByName(kept.drop(MANIFEST_HASH));
        }
        return rows.join(hashes, seq(Columns.EXAM_ID)).select(Stream.of(SCHEMA.fieldNames())
                .map(functions::col).toArray(Column[]::new));
    }

    static void write(Dataset<Row> ledger, long rows, OutputLayout layout, String runId) {
        int files = (int) Math.max(1, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
        ledger.repartition(files).sortWithinPartitions(Columns.EXAM_ID, Columns.MODEL_ID)
                .write().mode(SaveMode.Overwrite).parquet(folder(layout, runId).toString());
    }

    private static scala.collection.immutable.Seq<String> seq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
    }
}
