package io.ctcohort.pipeline.publish;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.pipeline.exam.HadoopConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetOptions;
import org.apache.spark.sql.execution.datasources.parquet.ParquetUtils$;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a table's dirty buckets straight into their final flat files, {@code part-b<bucket>.parquet},
 * from the executors: each task receives whole buckets, sorted, and writes one file per bucket.
 *
 * <p>Why not Spark's partitioned writer: it copies the whole Hadoop configuration and re-parses it for
 * every file it opens, about 10 ms per file (measured with JFR at 10k exams: 7,462 files, 148 s of
 * publishing), and its files then need a rename each into a flat name. With a few exams per bucket
 * file that per-file cost is the run's cost. The bytes are Spark's own: the configuration Spark
 * prepares for a Parquet write ({@code ParquetUtils.prepareWrite}) and Spark's {@link ParquetWriteSupport},
 * so a file is the one Spark would write, schema metadata included. A task's files share that write
 * support and their page compressors ({@link BucketFileCodecs}): made per file, they were about 40 % of
 * a few-row file's cost.
 *
 * <p>A file appears whole or not at all: on an object store a PUT is atomic; elsewhere each attempt
 * writes a hidden temporary file and renames it into place. Retried and speculative attempts write
 * the same bytes (rows in a fixed order), so whichever lands last is correct.
 */
final class BucketFileWriter {
    /** What one bucket's file became. */
    record Written(int bucket, long bytes) {
    }

    /** The one file of a table with no rows (not a bucket's file: never carried). */
    static final String EMPTY = "part-empty.parquet";

    private BucketFileWriter() {
    }

    /**
     * @param sorted      rows of whole buckets per partition, sorted by bucket and within it by exam_id first
     *                    (the table's order); {@code schema}'s columns
     * @param schema      the table's columns, as the files hold them
     * @param buckets     the bucket count ({@link ExamBucket#of})
     * @param objectStore write in place (an atomic PUT) rather than by temporary file and rename
     */
    static List<Written> write(SparkSession spark, Dataset<Row> sorted, StructType schema, int buckets, Path table,
                               boolean objectStore) throws IOException {
        Configuration prepared = preparedConf(spark, schema);
        Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new HadoopConf(prepared));
        String folder = table.getFileSystem(prepared).makeQualified(table).toString();
        int examId = schema.fieldIndex(Columns.EXAM_ID);
        List<Row> written = sorted.queryExecution().toRdd().toJavaRDD().mapPartitions(rows -> {
            Configuration c = conf.value().get();
            Path dir = new Path(folder);
            FileSystem fs = dir.getFileSystem(c);
            List<Row> out = new ArrayList<>();
            ParquetWriter<InternalRow> writer = null;
            int bucket = -1;
            String exam = null;
            Path file = null;
            SharedWriteSupport support = new SharedWriteSupport();
            BucketFileCodecs codecs = new BucketFileCodecs(c);
            try {
                while (rows.hasNext()) {
                    InternalRow r = rows.next();
                    // Rows come by bucket, then exam_id: the bucket is hashed once per exam.
                    String id = r.getUTF8String(examId).toString();
                    int b = id.equals(exam) ? bucket : ExamBucket.of(id, buckets);
                    exam = id;
                    if (b != bucket) {
                        if (writer != null) {
                            writer.close();
                            out.add(place(fs, file, dir, bucket, objectStore));
                        }
                        bucket = b;
                        file = objectStore ? new Path(dir, ExamBucket.fileName(b)) : temporary(dir, b);
                        writer = open(file, c, support, codecs);
                    }
                    writer.write(r);
                }
                if (writer != null) {
                    writer.close();
                    writer = null;
                    out.add(place(fs, file, dir, bucket, objectStore));
                }
            } finally {
                try {
                    if (writer != null) {
                        writer.close();
                    }
                } finally {
                    codecs.close();
                }
            }
            return out.iterator();
        }).collect();
        conf.destroy();
        List<Written> result = new ArrayList<>(written.size());
        for (Row r : written) {
            result.add(new Written(r.getInt(0), r.getLong(1)));
        }
        return result;
    }

    /**
     * Writes a table of no rows as one file that holds its columns ({@value #EMPTY}), from the driver: a
     * Spark write of an empty DataFrame plans and compiles a query for it.
     */
    static long writeEmpty(SparkSession spark, StructType schema, Path table) throws IOException {
        Configuration conf = preparedConf(spark, schema);
        Path file = new Path(table, EMPTY);
        BucketFileCodecs codecs = new BucketFileCodecs(conf);
        try {
            open(file, conf, new SharedWriteSupport(), codecs).close();
        } finally {
            codecs.close();
        }
        return file.getFileSystem(conf).getFileStatus(file).getLen();
    }

    /** The configuration Spark prepares for writing Parquet files of {@code schema}. */
    private static Configuration preparedConf(SparkSession spark, StructType schema) throws IOException {
        Job job = Job.getInstance(new Configuration(spark.sparkContext().hadoopConfiguration()));
        ParquetUtils$.MODULE$.prepareWrite(spark.sessionState().conf(), job, schema,
                new ParquetOptions(scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
                        spark.sessionState().conf()));
        return job.getConfiguration();
    }

    private static ParquetWriter<InternalRow> open(Path file, Configuration conf, SharedWriteSupport support,
                                                   BucketFileCodecs codecs) throws IOException {
        return new Builder(outputFile(file, conf), support)
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.fromConf(conf.get(ParquetOutputFormat.COMPRESSION)))
                .withCodecFactory(codecs)
                .build();
    }

    /**
     * A local file is written through java.nio: Hadoop's local file system sets each new file's
     * permissions by forking {@code chmod} where its native library is absent (as in a plain Spark
     * install), twice per file with the checksum file: 394 of 508 native samples of a 10k-exam full
     * run's publish, measured with JFR.
     */
    private static OutputFile outputFile(Path file, Configuration conf) throws IOException {
        return OutputLayout.isLocal(file, conf) ? new LocalOutputFile(Paths.get(file.toUri()))
                : HadoopOutputFile.fromPath(file, conf);
    }

    /** This attempt's hidden file for a bucket: a name no reader takes for a table file. */
    private static Path temporary(Path dir, int bucket) {
        TaskContext t = TaskContext.get();
        String attempt = t == null ? "driver" : t.stageId() + "-" + t.partitionId() + "-" + t.taskAttemptId();
        return new Path(dir, "_" + ExamBucket.fileName(bucket) + "." + attempt + ".tmp");
    }

    /** Moves a finished file into its bucket's name (nothing to move on an object store); its size. */
    private static Row place(FileSystem fs, Path file, Path dir, int bucket, boolean objectStore) throws IOException {
        Path target = new Path(dir, ExamBucket.fileName(bucket));
        if (OutputLayout.isLocal(file, fs.getConf())) {
            // An atomic rename that replaces what another attempt placed (the same bytes).
            Files.move(Paths.get(file.toUri()), Paths.get(target.toUri()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return RowFactory.create(bucket, Files.size(Paths.get(target.toUri())));
        }
        if (!objectStore && !fs.rename(file, target)) {
            // Another attempt placed the same bucket first (a file system whose rename does not replace).
            if (!fs.exists(target)) {
                throw new IOException("cannot rename " + file + " to " + target);
            }
            fs.delete(file, false);
        }
        return RowFactory.create(bucket, fs.getFileStatus(target).getLen());
    }

    /** A Parquet writer of Spark's rows with Spark's write support, on a prepared configuration. */
    private static final class Builder extends ParquetWriter.Builder<InternalRow, Builder> {
        private final SharedWriteSupport support;

        Builder(OutputFile file, SharedWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<InternalRow> getWriteSupport(Configuration conf) {
            return support;
        }
    }

    /**
     * Spark's write support for one task's files, one after another: its schema is read from the
     * configuration once, not once per file (a JSON parse of every column's type, about 12 % of a
     * few-row file's cost, measured). Each file still gets its own record consumer.
     */
    private static final class SharedWriteSupport extends ParquetWriteSupport {
        private WriteContext context;

        @Override
        public WriteContext init(Configuration conf) {
            if (context == null) {
                context = super.init(conf);
            }
            return context;
        }
    }
}
