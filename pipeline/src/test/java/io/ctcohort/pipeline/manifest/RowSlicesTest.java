package io.ctcohort.pipeline.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ctcohort.pipeline.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RowSlicesTest {
    private static final StructType SCHEMA = new StructType()
            .add("exam_id", DataTypes.StringType, false)
            .add("age", DataTypes.LongType, true)
            .add("weight", DataTypes.DoubleType, true)
            .add("slices", DataTypes.IntegerType, true)
            .add("contrast", DataTypes.BooleanType, true)
            .add("note", DataTypes.StringType, true);

    @Test
    void everyRowArrivesOnceInOrderWithItsValuesAndNulls() {
        SparkSession spark = TestSpark.get();
        List<Row> rows = new ArrayList<>();
        int n = 2 * RowSlices.ROWS_PER_SLICE + 7; // three slices, the last partly filled
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(String.format("ex%06d", i), i % 5 == 0 ? null : (long) i,
                    i % 7 == 0 ? null : i / 4.0, i % 11 == 0 ? null : -i, i % 3 == 0 ? null : i % 2 == 0,
                    i % 2 == 0 ? "é, \"quoted\"\n" + i : null));
        }
        Dataset<Row> df = RowSlices.of(spark, rows, SCHEMA);
        assertEquals(3, df.rdd().getNumPartitions());
        List<Row> back = df.collectAsList();
        assertEquals(rows, back);
        // Contiguous slices of nearly equal size: each partition holds a run of consecutive rows.
        List<String> firstAndLast = df.javaRDD().mapPartitions(it -> {
            String first = null;
            String last = null;
            while (it.hasNext()) {
                last = it.next().getString(0);
                first = first == null ? last : first;
            }
            return List.of(first + "-" + last).iterator();
        }).collect();
        assertEquals(List.of("ex000000-ex033334", "ex033335-ex066670", "ex066671-ex100006"), firstAndLast);
    }

    @Test
    void fewRowsStillMakeOneSlicePerCoreAndNoneIsLost() {
        SparkSession spark = TestSpark.get();
        List<Row> rows = List.of(RowFactory.create("a", 1L, 2.5, 3, true, "x"));
        Dataset<Row> df = RowSlices.of(spark, rows, SCHEMA);
        assertEquals(spark.sparkContext().defaultParallelism(), df.rdd().getNumPartitions());
        assertEquals(rows, df.collectAsList());
    }

    @Test
    void aColumnTypeASliceCannotHoldIsRefusedByName() {
        StructType dated = new StructType().add("scan_date", DataTypes.DateType, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowSlices.encode(List.of(RowFactory.create((Object) null)), dated));
        assertEquals("column scan_date of type date cannot travel in a row slice", e.getMessage());
    }
}
