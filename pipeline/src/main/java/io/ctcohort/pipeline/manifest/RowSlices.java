package io.ctcohort.pipeline.manifest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows made on the driver (the manifest's), as a DataFrame whose partitions are contiguous slices of
 * at most {@value #ROWS_PER_SLICE} rows, at least one per core: each slice travels inside its task,
 * so no task carries the whole manifest, and a slice's exams stay together (their folders are listed
 * once).
 *
 * <p>A slice travels as one byte array, its rows written field by field: parallelizing the rows
 * themselves has Spark's Java serializer write each as an object graph (the row, its array, every
 * value) and read it back in the task. JFR of a 1 %-changed run at 100,000 exams found 7 % of all
 * CPU samples there, for the two manifest-sized DataFrames a run makes. Columns are strings, longs,
 * integers, doubles or booleans (what a manifest's columns are).
 */
public final class RowSlices {
    /** Rows per slice at most. */
    static final int ROWS_PER_SLICE = 50_000;

    private RowSlices() {
    }

    /** The rows, in order, as a DataFrame of {@code schema}. */
    public static Dataset<Row> of(SparkSession spark, List<Row> rows, StructType schema) {
        return of(spark, rows, r -> r, schema);
    }

    /**
     * The rows of {@code items}, in order, as a DataFrame of {@code schema}: each row is made as its slice is
     * encoded, so the driver never holds a row per item at once.
     */
    public static <T> Dataset<Row> of(SparkSession spark, List<T> items, Function<T, Row> row, StructType schema) {
        int slices = Math.max(spark.sparkContext().defaultParallelism(),
                (items.size() + ROWS_PER_SLICE - 1) / ROWS_PER_SLICE);
        List<byte[]> encoded = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            // The same contiguous ranges Spark's parallelize cuts.
            encoded.add(encode(items.subList((int) ((long) s * items.size() / slices),
                    (int) ((long) (s + 1) * items.size() / slices)).stream().map(row).toList(), schema));
        }
        JavaRDD<Row> decoded = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(encoded, slices).flatMap(bytes -> decode(bytes, schema));
        return spark.createDataFrame(decoded, schema);
    }

    static byte[] encode(List<Row> rows, StructType schema) {
        DataType[] types = types(schema);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(rows.size());
            for (Row r : rows) {
                for (int i = 0; i < types.length; i++) {
                    Object v = r.get(i);
                    out.writeBoolean(v != null);
                    if (v == null) {
                        continue;
                    }
                    DataType t = types[i];
                    if (t.equals(DataTypes.StringType)) {
                        byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
                        out.writeInt(b.length);
                        out.write(b);
                    } else if (t.equals(DataTypes.LongType)) {
                        out.writeLong((Long) v);
                    } else if (t.equals(DataTypes.IntegerType)) {
                        out.writeInt((Integer) v);
                    } else if (t.equals(DataTypes.DoubleType)) {
                        out.writeDouble((Double) v);
                    } else {
                        out.writeBoolean((Boolean) v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A slice's rows, read as the task consumes them. */
    static Iterator<Row> decode(byte[] slice, StructType schema) {
        DataType[] types = types(schema);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(slice));
        return new Iterator<>() {
            private int left = readInt(in);

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public Row next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                left--;
                try {
                    Object[] v = new Object[types.length];
                    for (int i = 0; i < types.length; i++) {
                        if (!in.readBoolean()) {
                            continue;
                        }
                        DataType t = types[i];
                        if (t.equals(DataTypes.StringType)) {
                            byte[] b = new byte[in.readInt()];
                            in.readFully(b);
                            v[i] = new String(b, StandardCharsets.UTF_8);
                        } else if (t.equals(DataTypes.LongType)) {
                            v[i] = in.readLong();
                        } else if (t.equals(DataTypes.IntegerType)) {
                            v[i] = in.readInt();
                        } else if (t.equals(DataTypes.DoubleType)) {
                            v[i] = in.readDouble();
                        } else {
                            v[i] = in.readBoolean();
                        }
                    }
                    return RowFactory.create(v);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** The column types, refused up front where one is none of those a slice can hold. */
    private static DataType[] types(StructType schema) {
        DataType[] types = new DataType[schema.size()];
        for (int i = 0; i < types.length; i++) {
            DataType t = schema.fields()[i].dataType();
            if (!List.of(DataTypes.StringType, DataTypes.LongType, DataTypes.IntegerType, DataTypes.DoubleType,
                    DataTypes.BooleanType).contains(t)) {
                throw new IllegalArgumentException("column " + schema.fields()[i].name() + " of type "
                        + t.simpleString() + " cannot travel in a row slice");
            }
            types[i] = t;
        }
        return types;
    }

    private static int readInt(DataInputStream in) {
        try {
            return in.readInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
