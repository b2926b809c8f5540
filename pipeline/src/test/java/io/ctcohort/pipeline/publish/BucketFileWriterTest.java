package io.ctcohort.pipeline.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.pipeline.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket file, and an empty table's one file, are the bytes Spark's own Parquet writer writes for the
 * same rows (its write support, its configuration, its compression), with the compressors and write
 * support a task's files share.
 */
class BucketFileWriterTest {
    @TempDir
    java.nio.file.Path dir;

    private static byte[] onlyParquetFile(java.nio.file.Path folder) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(folder)) {
            List<java.nio.file.Path> parquet = files.filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .toList();
            assertEquals(1, parquet.size(), "one Parquet file in " + folder);
            return Files.readAllBytes(parquet.get(0));
        }
    }

    @Test
    void bucketFilesAreSparksBytes() throws IOException {
        SparkSession spark = TestSpark.get();
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < 12; e++) {
            for (String site : List.of("L1", "L2", "liver")) {
                rows.add(RowFactory.create("ex" + e, "attenuation", site, e % 5 == 0 ? null : 100.0 + e * 1.5,
                        "HU", e % 5 == 0 ? "no voxels" : null, "demo-model"));
            }
        }
        // One bucket, one partition, rows in a fixed order: the file Spark writes for that partition.
        Dataset<Row> one = spark.createDataFrame(rows, BiomarkersTable.SCHEMA).coalesce(1);
        one.write().mode(SaveMode.Overwrite).parquet(dir.resolve("spark").toString());
        Files.createDirectories(dir.resolve("ours")); // as the table's publisher does
        List<BucketFileWriter.Written> written = BucketFileWriter.write(spark, one, BiomarkersTable.SCHEMA, 1,
                new Path(dir.resolve("ours").toUri()), false);

        assertEquals(1, written.size());
        byte[] ours = Files.readAllBytes(dir.resolve("ours").resolve(ExamBucket.fileName(0)));
        assertEquals(ours.length, written.get(0).bytes());
        assertArrayEquals(onlyParquetFile(dir.resolve("spark")), ours);
    }

    @Test
    void anEmptyTableIsSparksSchemaFile() throws IOException {
        SparkSession spark = TestSpark.get();
        spark.createDataFrame(List.of(), BiomarkersTable.SCHEMA).write().mode(SaveMode.Overwrite)
                .parquet(dir.resolve("spark").toString());
        Files.createDirectories(dir.resolve("ours"));
        long bytes = BucketFileWriter.writeEmpty(spark, BiomarkersTable.SCHEMA, new Path(dir.resolve("ours").toUri()));

        byte[] ours = Files.readAllBytes(dir.resolve("ours").resolve(BucketFileWriter.EMPTY));
        assertEquals(ours.length, bytes);
        assertArrayEquals(onlyParquetFile(dir.resolve("spark")), ours);
        assertEquals(0, spark.read().parquet(dir.resolve("ours").toString()).count());
        assertEquals(BiomarkersTable.SCHEMA.fieldNames().length,
                spark.read().parquet(dir.resolve("ours").toString()).schema().fieldNames().length);
    }
}
