package io.ctcohort.analytics.local;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import io.ctcohort.core.layout.OutputLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.nio.file.Paths;

/**
 * Writes a small result table (age_effects, age_groups) as Spark's {@code write().mode(Overwrite).parquet}
 * leaves it, without a Spark job: one part file and {@code _SUCCESS} in a folder that replaces
 * the old one (uncompressed: the tables are small), the columns of the StructType (non-nullable -> required) and Spark's schema in the footer
 * ({@code org.apache.spark.sql.parquet.row.metadata}), so Spark reads back the same types and
 * nullability. Strings, longs and doubles only (what the result tables hold).
 */
public final class ParquetTables {
    /** Spark's JSON form of a schema, as {@code StructType.json()} writes it (tested equal). */
    public static String sparkSchemaJson(StructType schema) {
        return sparkJson(schema);
    }

    static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

    private ParquetTables() {
    }

    public static void write(Configuration conf, Path dir, StructType schema, List<Row> rows) throws IOException {
        MessageType parquet = parquetSchema(schema);
        FileSystem fs = OutputLayout.fileSystem(dir, conf);
        if (fs.exists(dir) && !fs.delete(dir, true)) {
            throw new IOException("cannot replace " + dir);
        }
        fs.mkdirs(dir);
        String name = "part-00000-" + UUID.randomUUID() + "-c000.parquet"; // uncompressed: a few kB
        Path hidden = new Path(dir, "." + name); // readers skip it until it is complete
        SimpleGroupFactory groups = new SimpleGroupFactory(parquet);
        StructField[] fields = schema.fields();
        OutputFile file = OutputLayout.isLocal(dir, conf)
                ? new LocalOutputFile(Paths.get(fs.makeQualified(hidden).toUri())) : HadoopOutputFile.fromPath(hidden, conf);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file)
                .withConf(conf).withType(parquet).withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withExtraMetaData(Map.of(SPARK_SCHEMA_KEY, sparkJson(schema))).build()) {
            for (Row r : rows) {
                Group g = groups.newGroup();
                for (int i = 0; i < fields.length; i++) {
                    if (r.isNullAt(i)) {
                        if (!fields[i].nullable()) {
                            throw new IOException(dir + ": null in non-nullable column " + fields[i].name());
                        }
                        continue;
                    }
                    DataType t = fields[i].dataType();
                    if (t.equals(DataTypes.StringType)) {
                        g.append(fields[i].name(), r.getString(i));
                    } else if (t.equals(DataTypes.LongType)) {
                        g.append(fields[i].name(), r.getLong(i));
                    } else {
                        g.append(fields[i].name(), r.getDouble(i));
                    }
                }
                w.write(g);
            }
        }
        if (!fs.rename(hidden, new Path(dir, name))) {
            throw new IOException("cannot rename " + hidden);
        }
        fs.create(new Path(dir, "_SUCCESS"), true).close();
    }

    /**
     * Spark's JSON form of the schema ({@code StructType.json()}, written by hand: Spark's own goes
     * through json4s and loads a Scala JSON stack for two small files).
     */
    static String sparkJson(StructType schema) {
        StringBuilder j = new StringBuilder("{\"type\":\"struct\",\"fields\":[");
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            StructField f = fields[i];
            if (!f.metadata().equals(Metadata.empty())) {
                throw new IllegalArgumentException("column " + f.name() + " has metadata");
            }
            j.append(i > 0 ? "," : "").append("{\"name\":\"").append(f.name().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\",\"type\":\"").append(f.dataType().typeName()).append("\",\"nullable\":")
                    .append(f.nullable()).append(",\"metadata\":{}}");
        }
        return j.append("]}").toString();
    }

    static MessageType parquetSchema(StructType schema) {
        List<Type> fields = new ArrayList<>();
        for (StructField f : schema.fields()) {
            Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            DataType t = f.dataType();
            if (t.equals(DataTypes.StringType)) {
                fields.add(Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType())
                        .named(f.name()));
            } else if (t.equals(DataTypes.LongType)) {
                fields.add(Types.primitive(PrimitiveTypeName.INT64, rep).named(f.name()));
            } else if (t.equals(DataTypes.DoubleType)) {
                fields.add(Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name()));
            } else {
                throw new IllegalArgumentException("column " + f.name() + ": " + t + " is not written without Spark");
            }
        }
        return new MessageType("spark_schema", fields);
    }
}
