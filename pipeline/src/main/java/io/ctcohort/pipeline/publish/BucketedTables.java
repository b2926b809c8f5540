package io.ctcohort.pipeline.publish;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.ValidationTable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Publishes a run's four tables (exams, measurements, biomarkers, validation) writing only what
 * changed (docs/DESIGN.md "Publishing what changed"). Each table is B flat files
 * {@code part-b<bucket>.parquet}, an exam's rows in the file of {@link ExamBucket#of}. A bucket is
 * dirty if it holds an exam this run processed, an exam the manifest no longer lists, or (for exams)
 * one whose manifest columns changed; dirty buckets are written from this run's results and the
 * previous run's kept rows of those buckets, by the executors straight into their files
 * ({@link BucketFileWriter}); every other bucket's file is carried over from the previous run
 * ({@link FileCarrier}: a hard link, a server-side copy). A table is written whole where the previous
 * run used other buckets or another schema, or where there is no previous run. The run's ledger
 * ({@link RunLedger}) is written beside them, from the results and the previous ledger's kept rows
 * (carried like a clean bucket's file where no bucket is dirty).
 */
public final class BucketedTables {
    /** Spark conf key: exams per bucket file aimed at ({@link #examsPerBucket}). */
    public static final String EXAMS_PER_BUCKET_KEY = "spark.ctcohort.publish.examsPerFile";
    static final String BUCKET = "ctcohort_bucket";

    /**
     * The previous complete run this one continues, and the (exam_id, model_id) of its rows that
     * this run keeps (unchanged exams, other models' rows of exams still listed).
     */
    public record Previous(String runId, Dataset<Row> keep) {
    }

    /** What publishing one table (or the run's ledger) wrote and carried over; bytes are of Parquet files. */
    public record TableStats(String table, boolean whole, int bucketsWritten, int filesWritten, long bytesWritten,
                             int filesCarried, long bytesCarried) {
    }

    public record Result(int buckets, FileCarrier.Mode carriedBy, List<TableStats> tables) {
        public long bytesWritten() {
            return tables.stream().mapToLong(TableStats::bytesWritten).sum();
        }

        public long bytesCarried() {
            return tables.stream().mapToLong(TableStats::bytesCarried).sum();
        }

        public String describe() {
            String per = tables.stream().map(t -> String.format(Locale.ROOT, "%s %s%d files %d bytes (+%d carried)",
                    t.table(), t.whole() ? "whole " : "", t.filesWritten(), t.bytesWritten(), t.filesCarried()))
                    .collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "publish: %d buckets; wrote %d bytes of table files, carried %d bytes"
                    + " by %s (%s)", buckets, bytesWritten(), bytesCarried(),
                    carriedBy.name().toLowerCase(Locale.ROOT).replace('_', ' '), per);
        }
    }

    /** One table: its fresh rows from the staged results, the columns read from the previous run, its row order. */
    private record Table(String name, Dataset<Row> fresh, StructType previousColumns,
                         UnaryOperator<Dataset<Row>> finish, String... sortKeys) {
    }

    private final SparkSession spark;
    private final OutputLayout layout;
    private final String runId;
    private final PrintStream err;

    public BucketedTables(SparkSession spark, OutputLayout layout, String runId, PrintStream err) {
        this.spark = spark;
        this.layout = layout;
        this.runId = runId;
        this.err = err;
    }

    /**
     * @param exams    exams in the manifest (sizes the buckets of a new output root)
     * @param shared   the manifest's columns the exams table carries, one row per exam
     * @param results  this run's results: columns exam (struct), measurements, biomarkers, validation (arrays)
     */
    public Result publish(long exams, Dataset<Row> shared, Dataset<Row> results, Optional<Previous> previous)
            throws IOException {
        FileSystem fs = layout.fs();
        Path runDir = layout.runDir(runId);
        Optional<BucketRecord> before = previous.flatMap(p -> BucketRecord.read(fs, layout.runDir(p.runId())));
        int buckets = ExamBucket.count(exams, examsPerBucket(spark), BucketRecord.bucketsOf(before));
        List<Table> tables = tables(shared, results);
        Map<String, String> schemas = new TreeMap<>();
        for (Table t : tables) {
            schemas.put(t.name(), schemaKey(t.finish().apply(t.fresh()).schema()));
        }
        BucketRecord record = new BucketRecord(buckets, ExamBucket.HASH, schemas);
        UserDefinedFunction bucketOf = bucketFunction(buckets);

        // A killed attempt of this run may have left tables and links behind.
        for (Table t : tables) {
            fs.delete(layout.table(runId, t.name()), true);
        }
        Dataset<Row> hashes = RunLedger.manifestHashes(shared).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> beforeLedger = previous.isPresent() ? RunLedger.read(spark, layout, previous.get().runId()) : null;
        BitSet dirty = previous.isPresent() && before.isPresent() && record.sameBuckets(before.get())
                ? dirtyBuckets(hashes, results, beforeLedger, record.canCarry(before.get(), ExamsTable.NAME),
                bucketOf)
                : null;
        FileCarrier carrier = new FileCarrier(fs);
        Dataset<Row> kept = previous.map(p -> beforeLedger.join(functions.broadcast(p.keep()),
                seq(Columns.EXAM_ID, Columns.MODEL_ID), "left_semi")).orElse(null);
        // A carried table reads the previous rows of its dirty buckets only: it needs only their kept keys
        // (a few thousand where 1 % changed, not every unchanged exam's), shipped to each read.
        Dataset<Row> keptInDirty = dirty == null ? null : inBuckets(previous.get().keep(), dirty, buckets)
                .persist(StorageLevel.MEMORY_AND_DISK());
        // The four tables and the ledger are independent: published at once, so that one's driver work
        // (listing, planning, hard links) overlaps another's Spark tasks.
        List<Callable<TableStats>> work = new ArrayList<>();
        for (Table t : tables) {
            boolean carry = dirty != null && record.canCarry(before.get(), t.name());
            Optional<Previous> from = carry ? Optional.of(new Previous(previous.get().runId(), keptInDirty)) : previous;
            work.add(() -> publish(t, from, carry ? dirty : null, buckets, bucketOf, carrier));
        }
        // No dirty bucket (nothing processed, removed or re-described; the exams table carried whole): the
        // ledger's rows are the previous ledger's, so its files are carried too.
        boolean ledgerUnchanged = dirty != null && dirty.isEmpty() && record.canCarry(before.get(), ExamsTable.NAME);
        work.add(() -> ledgerUnchanged ? carryLedger(previous.get().runId(), carrier) : writeLedger(results, kept,
                hashes, exams));
        List<TableStats> stats = withLocalListing(() -> Concurrently.all(work));
        hashes.unpersist();
        if (keptInDirty != null) {
            keptInDirty.unpersist();
        }
        record.write(layout, runDir);
        Result result = new Result(buckets, carrier.mode(), stats);
        err.println(result.describe());
        return result;
    }

    private TableStats writeLedger(Dataset<Row> results, Dataset<Row> kept, Dataset<Row> hashes, long exams)
            throws IOException {
        RunLedger.write(RunLedger.of(results, kept, hashes), exams, layout, runId);
        List<FileStatus> files = parquetFiles(layout.fs(), RunLedger.folder(layout, runId));
        return new TableStats(RunLedger.FOLDER, true, 0, files.size(),
                files.stream().mapToLong(FileStatus::getLen).sum(), 0, 0);
    }

    private TableStats carryLedger(String previousRun, FileCarrier carrier) throws IOException {
        FileSystem fs = layout.fs();
        Path from = RunLedger.folder(layout, previousRun);
        Path to = RunLedger.folder(layout, runId);
        fs.delete(to, true); // a killed attempt's
        fs.mkdirs(to);
        List<FileStatus> files = parquetFiles(fs, from);
        carrier.carryAll(from, to, files.stream().map(f -> f.getPath().getName()).toList());
        long bytes = files.stream().mapToLong(FileStatus::getLen).sum();
        return new TableStats(RunLedger.FOLDER, false, 0, 0, carrier.copiesBytes() ? bytes : 0, files.size(), bytes);
    }

    private List<Table> tables(Dataset<Row> shared, Dataset<Row> results) {
        return List.of(
                new Table(ExamsTable.NAME, results.select("exam").select("exam.*"), ExamsTable.RESULT_KEYED,
                        rows -> shared.join(rows, seq(Columns.EXAM_ID)), Columns.EXAM_ID, Columns.MODEL_ID),
                new Table(MeasurementsTable.NAME, explode(results, "measurements"), MeasurementsTable.SCHEMA,
                        UnaryOperator.identity(), Columns.EXAM_ID, Columns.MODEL_ID, MeasurementsTable.LABEL),
                new Table(BiomarkersTable.NAME, explode(results, "biomarkers"), BiomarkersTable.SCHEMA,
                        UnaryOperator.identity(), Columns.EXAM_ID, Columns.MODEL_ID, BiomarkersTable.BIOMARKER,
                        BiomarkersTable.SITE),
                new Table(ValidationTable.NAME, explode(results, "validation"), ValidationTable.SCHEMA,
                        UnaryOperator.identity(), Columns.EXAM_ID, Columns.MODEL_ID, MeasurementsTable.LABEL));
    }

    /**
     * Buckets that hold an exam this run processed, a previous exam the manifest no longer lists, or (where
     * the exams table is carried) an exam whose manifest columns differ from the previous run's: computed
     * on the executors; the driver receives at most one number per bucket.
     */
    private BitSet dirtyBuckets(Dataset<Row> hashes, Dataset<Row> results, Dataset<Row> before, boolean examsCarried,
                                UserDefinedFunction bucketOf) {
        Dataset<Row> ids = results.select(functions.col("exam." + Columns.EXAM_ID).as(Columns.EXAM_ID));
        ids = ids.union(before.select(Columns.EXAM_ID).except(hashes.select(Columns.EXAM_ID)));
        if (examsCarried) {
            ids = ids.union(hashes.except(before.select(Columns.EXAM_ID, RunLedger.MANIFEST_HASH))
                    .select(Columns.EXAM_ID));
        }
        BitSet dirty = new BitSet();
        for (Row r : ids.select(bucketOf.apply(functions.col(Columns.EXAM_ID)).as(BUCKET)).distinct().collectAsList()) {
            dirty.set(r.<Integer>getAs(BUCKET));
        }
        return dirty;
    }

    /** Writes one table: the dirty buckets (all where {@code dirty} is null), then carries the others over. */
    private TableStats publish(Table t, Optional<Previous> previous, BitSet dirty, int buckets,
                               UserDefinedFunction bucketOf, FileCarrier carrier) throws IOException {
        FileSystem fs = layout.fs();
        Path target = layout.table(runId, t.name());
        Map<Integer, List<TableFile>> before = new TreeMap<>();
        Dataset<Row> rows = t.fresh();
        Path prevTable = previous.map(p -> layout.table(p.runId(), t.name())).orElse(null);
        if (previous.isPresent()) {
            List<String> read = new ArrayList<>();
            if (dirty == null) {
                if (fs.exists(prevTable)) {
                    read.add(prevTable.toString());
                }
            } else {
                before = bucketFiles(fs, prevTable);
                for (Map.Entry<Integer, List<TableFile>> e : before.entrySet()) {
                    if (dirty.get(e.getKey())) {
                        e.getValue().forEach(f -> read.add(new Path(prevTable, f.name()).toString()));
                    }
                }
            }
            // A table absent from the previous run (written before it existed) contributes no rows. Carried
            // bucket files have this run's columns (BucketRecord.canCarry): read with them, no Spark job
            // infers them.
            if (!read.isEmpty()) {
                Dataset<Row> kept = (dirty == null ? spark.read() : spark.read().schema(t.previousColumns()))
                        .parquet(read.toArray(String[]::new))
                        .select(castColumns(t.previousColumns()))
                        .join(functions.broadcast(previous.get().keep()), seq(Columns.EXAM_ID, Columns.MODEL_ID),
                                "left_semi");
                rows = rows.unionByName(kept);
            }
        }
        Dataset<Row> full = t.finish().apply(rows);
        int dirtyCount = dirty == null ? buckets : dirty.cardinality();
        fs.mkdirs(target);

        List<String> carry = new ArrayList<>();
        long bytesCarried = 0;
        if (dirty != null) {
            for (Map.Entry<Integer, List<TableFile>> e : before.entrySet()) {
                if (!dirty.get(e.getKey())) {
                    for (TableFile f : e.getValue()) {
                        carry.add(f.name());
                        bytesCarried += f.length();
                    }
                }
            }
        }
        // The clean buckets' files are carried while the executors write the dirty ones.
        long[] written = Concurrently.<long[]>all(List.of(
                () -> {
                    carrier.carryAll(prevTable, target, carry);
                    return new long[0];
                },
                () -> writeDirty(t, full, dirtyCount, buckets, bucketOf, target))).get(1);
        int bucketsWritten = (int) written[0];
        long bytesWritten = written[1];
        int filesWritten = bucketsWritten;
        int filesCarried = carry.size();
        if (filesWritten + filesCarried == 0) {
            // No rows at all: one file that holds the schema, so that every reader finds the table.
            bytesWritten += BucketFileWriter.writeEmpty(spark, full.schema(), target);
            filesWritten++;
        }
        return new TableStats(t.name(), dirty == null, bucketsWritten, filesWritten,
                carrier.copiesBytes() ? bytesWritten + bytesCarried : bytesWritten, filesCarried, bytesCarried);
    }

    /** Writes the dirty buckets' files of one table; {buckets written, bytes}. */
    private long[] writeDirty(Table t, Dataset<Row> full, int dirtyCount, int buckets, UserDefinedFunction bucketOf,
                              Path target) throws IOException {
        long[] written = new long[2];
        if (dirtyCount == 0) {
            return written;
        }
        int partitions = Math.max(1, Math.min(dirtyCount, spark.sparkContext().defaultParallelism() * 4));
        Dataset<Row> sorted = full.withColumn(BUCKET, bucketOf.apply(functions.col(Columns.EXAM_ID)))
                .repartition(partitions, functions.col(BUCKET))
                .sortWithinPartitions(BUCKET, t.sortKeys())
                .drop(BUCKET);
        for (BucketFileWriter.Written w : BucketFileWriter.write(spark, sorted, full.schema(), buckets, target,
                layout.isObjectStore())) {
            written[0]++;
            written[1] += w.bytes();
        }
        return written;
    }

    /**
     * Runs {@code body} with Spark listing named Parquet files on the driver where the output root is
     * local or HDFS, once around the tables' concurrent reads. Spark lists more than 32 named paths in a
     * job of one task per path; a local or HDFS file system answers the driver faster (978 files of a
     * 1 %-changed run at 100k exams: a thousand tasks, each copying the Hadoop configuration). An object
     * store's requests are latency-bound, so there Spark's parallel listing stays.
     */
    private <T> T withLocalListing(Callable<T> body) throws IOException {
        String key = "spark.sql.sources.parallelPartitionDiscovery.threshold";
        String before = spark.conf().get(key);
        if (!layout.isObjectStore()) {
            spark.conf().set(key, Integer.MAX_VALUE);
        }
        try {
            return body.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            spark.conf().set(key, before);
        }
    }

    /** One file of a table folder, by name (its folder is known). */
    private record TableFile(String name, long length) {
    }

    /**
     * A table folder's bucket files by bucket (other files, such as an empty table's schema file, are not
     * carried). A local folder is read with one stat per file and no Hadoop path or status objects: tens
     * of thousands of files each run.
     */
    private static Map<Integer, List<TableFile>> bucketFiles(FileSystem fs, Path table) throws IOException {
        Map<Integer, List<TableFile>> files = new TreeMap<>();
        if (OutputLayout.isLocal(table, fs.getConf())) {
            java.nio.file.Path dir = Paths.get(fs.makeQualified(table).toUri());
            if (!Files.isDirectory(dir)) {
                return files;
            }
            try (DirectoryStream<java.nio.file.Path> in = Files.newDirectoryStream(dir)) {
                for (java.nio.file.Path f : in) {
                    String name = f.getFileName().toString();
                    OptionalInt b = ExamBucket.bucketOf(name);
                    if (b.isPresent()) {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        if (a.isRegularFile()) {
                            files.computeIfAbsent(b.getAsInt(), k -> new ArrayList<>()).add(new TableFile(name, a.size()));
                        }
                    }
                }
            }
            return files;
        }
        for (FileStatus f : listOrEmpty(fs, table)) {
            OptionalInt b = ExamBucket.bucketOf(f.getPath().getName());
            if (b.isPresent() && f.isFile()) {
                files.computeIfAbsent(b.getAsInt(), k -> new ArrayList<>())
                        .add(new TableFile(f.getPath().getName(), f.getLen()));
            }
        }
        return files;
    }

    /** A folder's Parquet data files, by name (none where the folder is absent). */
    static List<FileStatus> parquetFiles(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus f : listOrEmpty(fs, dir)) {
            String n = f.getPath().getName();
            if (f.isFile() && n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith(".")) {
                files.add(f);
            }
        }
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return files;
    }

    private static FileStatus[] listOrEmpty(FileSystem fs, Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    /** The rows of {@code keys} (exam_id, model_id) whose exam is in one of the {@code dirty} buckets. */
    private static Dataset<Row> inBuckets(Dataset<Row> keys, BitSet dirty, int buckets) {
        UserDefinedFunction isDirty = functions.udf((UDF1<String, Boolean>) id -> dirty.get(ExamBucket.of(id, buckets)),
                DataTypes.BooleanType).asNonNullable();
        return keys.filter(isDirty.apply(functions.col(Columns.EXAM_ID)));
    }

    static UserDefinedFunction bucketFunction(int buckets) {
        return functions.udf((UDF1<String, Integer>) id -> ExamBucket.of(id, buckets), DataTypes.IntegerType)
                .asNonNullable();
    }

    /** A schema as names and types (not nullability, which a Parquet read changes). */
    static String schemaKey(StructType schema) {
        return Stream.of(schema.fields()).map(f -> f.name() + " " + f.dataType().json())
                .collect(Collectors.joining(","));
    }

    private static Dataset<Row> explode(Dataset<Row> results, String column) {
        return results.select(functions.explode(functions.col(column)).as("r")).select("r.*");
    }

    private static Column[] columns(StructType schema) {
        return Stream.of(schema.fieldNames()).map(functions::col).toArray(Column[]::new);
    }

    private static Column[] castColumns(StructType schema) {
        return Stream.of(schema.fields()).map(f -> functions.col(f.name()).cast(f.dataType())).toArray(Column[]::new);
    }

    private static scala.collection.immutable.Seq<String> seq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
    }

    /**
     * Exams per bucket file: {@value #EXAMS_PER_BUCKET_KEY} (default {@link ExamBucket#EXAMS_PER_BUCKET}).
     * Fewer, larger files make full runs faster and readers list less, at the price of rewriting more
     * bytes when a few exams change: a fraction f of exams changed at random rewrites about
     * 1 - exp(-f x perBucket) of the files.
     */
    static int examsPerBucket(SparkSession spark) {
        String v = spark.conf().get(EXAMS_PER_BUCKET_KEY, Integer.toString(ExamBucket.EXAMS_PER_BUCKET));
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, naming the key
        }
        throw new CtCohortException(EXAMS_PER_BUCKET_KEY + " must be a whole number >= 1, not '" + v + "'");
    }
}
