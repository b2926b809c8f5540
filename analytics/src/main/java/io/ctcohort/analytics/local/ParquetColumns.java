package io.ctcohort.analytics.local;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import io.ctcohort.core.layout.OutputLayout;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads flat columns of a Parquet table (a folder of part files, or one file) with parquet-hadoop's
 * column readers (the library Spark itself reads Parquet with, on the classpath wherever Spark is):
 * no Spark job, no row objects, one row group at a time. Values arrive converted as Spark's
 * {@code cast} would convert them, or the table is {@link Unsupported}: the caller then lets Spark
 * read it. Strings arrive as codes into a dictionary that grows over the whole scan.
 */
final class ParquetColumns {

    /** What a column is read as. */
    enum Kind {
        /** double; null -> NaN. From DOUBLE, FLOAT or signed INT32/INT64. */
        DOUBLE,
        /** long; null -> 0 (the QC rule reads a null voxel_count as 0). From signed INT32/INT64. */
        LONG,
        /** boolean; null -> false. */
        BOOLEAN,
        /** code into {@link Chunk#dictionary}; null -> -1. From BINARY annotated STRING or ENUM. */
        STRING
    }

    /** A column the plain reader cannot read exactly as Spark would (type, nesting, absence). */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message);
        }
    }

    /** The columns of one row group, in the order asked for; dictionaries are shared across chunks. */
    static final class Chunk {
        final int rows;
        final Object[] columns;
        final List<List<String>> dictionary;

        Chunk(int rows, Object[] columns, List<List<String>> dictionary) {
            this.rows = rows;
            this.columns = columns;
            this.dictionary = dictionary;
        }

        double[] doubles(int c) {
            return (double[]) columns[c];
        }

        long[] longs(int c) {
            return (long[]) columns[c];
        }

        boolean[] booleans(int c) {
            return (boolean[]) columns[c];
        }

        int[] codes(int c) {
            return (int[]) columns[c];
        }

        String string(int c, int code) {
            return code < 0 ? null : dictionary.get(c).get(code);
        }
    }

    interface ChunkConsumer {
        void accept(Chunk chunk);
    }

    private ParquetColumns() {
    }

    /** A data file of a table: its name (for messages) and how parquet reads it. */
    record DataFile(String name, InputFile input) {
    }

    /**
     * The data files of a table: the file itself, or a folder's files not starting with '_' or '.'.
     * Local files are read through java.nio ({@link LocalInputFile}), others through Hadoop's file system.
     */
    static List<DataFile> files(Path table, Configuration conf) throws IOException {
        FileSystem fs = OutputLayout.fileSystem(table, conf);
        boolean local = OutputLayout.isLocal(table, conf);
        FileStatus status = fs.getFileStatus(table);
        List<FileStatus> found = new ArrayList<>();
        if (!status.isDirectory()) {
            found.add(status);
        } else {
            for (FileStatus f : fs.listStatus(table)) {
                String name = f.getPath().getName();
                if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                    found.add(f);
                } else if (f.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
                    throw new IOException(table + ": partitioned table (" + name + "/): not read without Spark");
                }
            }
        }
        found.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        List<DataFile> out = new ArrayList<>();
        for (FileStatus f : found) {
            out.add(new DataFile(f.getPath().toString(), local
                    ? new LocalInputFile(Paths.get(f.getPath().toUri())) : HadoopInputFile.fromStatus(f, conf)));
        }
        return out;
    }

    /** Rows and the column names of the first file, from the footers alone. */
    record Shape(long rows, List<String> columns) {
    }

    static Shape shape(List<DataFile> files) throws IOException {
        long rows = 0;
        List<String> columns = List.of();
        for (DataFile f : files) {
            try (ParquetFileReader r = ParquetFileReader.open(f.input())) {
                rows += r.getRecordCount();
                if (columns.isEmpty()) {
                    columns = r.getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
                }
            }
        }
        return new Shape(rows, columns);
    }

    /** Reads {@code names} as {@code kinds} from every file, one {@link Chunk} per row group. */
    static void scan(List<DataFile> files, List<String> names, List<Kind> kinds, ChunkConsumer consumer)
            throws IOException, Unsupported {
        int nc = names.size();
        List<List<String>> dictionary = new ArrayList<>();
        List<Map<Binary, Integer>> codes = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
            dictionary.add(new ArrayList<>());
            codes.add(new HashMap<>());
        }
        for (DataFile p : files) {
            try (ParquetFileReader r = ParquetFileReader.open(p.input())) {
                MessageType schema = r.getFileMetaData().getSchema();
                ColumnDescriptor[] desc = new ColumnDescriptor[nc];
                for (int c = 0; c < nc; c++) {
                    desc[c] = descriptor(p, schema, names.get(c), kinds.get(c));
                }
                r.setRequestedSchema(new MessageType(schema.getName(),
                        Arrays.stream(desc).map(d -> (Type) d.getPrimitiveType()).distinct().toList()));
                String createdBy = r.getFileMetaData().getCreatedBy();
                PageReadStore pages;
                while ((pages = r.readNextRowGroup()) != null) {
                    long n = pages.getRowCount();
                    if (n > Integer.MAX_VALUE - 8) {
                        throw new Unsupported(p.name() + ": row group of " + n + " rows");
                    }
                    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                            new DummyRecordConverter(schema).getRootConverter(), schema, createdBy);
                    Object[] columns = new Object[nc];
                    for (int c = 0; c < nc; c++) {
                        columns[c] = read(store.getColumnReader(desc[c]), (int) n, kinds.get(c), dictionary.get(c),
                                codes.get(c));
                    }
                    consumer.accept(new Chunk((int) n, columns, dictionary));
                }
            }
        }
    }

    private static ColumnDescriptor descriptor(DataFile file, MessageType schema, String name, Kind kind) throws Unsupported {
        if (!schema.containsField(name)) {
            throw new Unsupported(file.name() + ": no column " + name);
        }
        Type t = schema.getType(name);
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
            throw new Unsupported(file.name() + ": column " + name + " is not a flat value (" + t + ")");
        }
        PrimitiveType pt = t.asPrimitiveType();
        LogicalTypeAnnotation a = pt.getLogicalTypeAnnotation();
        boolean signedInt = a == null || (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned());
        boolean ok = switch (kind) {
            case DOUBLE -> switch (pt.getPrimitiveTypeName()) {
                case DOUBLE, FLOAT -> a == null;
                case INT32, INT64 -> signedInt;
                default -> false;
            };
            case LONG -> switch (pt.getPrimitiveTypeName()) {
                case INT32, INT64 -> signedInt;
                default -> false;
            };
            case BOOLEAN -> pt.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BOOLEAN;
            case STRING -> pt.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                    && (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation);
        };
        if (!ok) {
            throw new Unsupported(file.name() + ": column " + name + " is " + pt + ", not read as " + kind + " without Spark");
        }
        return schema.getColumnDescription(new String[] {name});
    }

    private static Object read(ColumnReader cr, int n, Kind kind, List<String> dictionary, Map<Binary, Integer> codes) {
        int maxDef = cr.getDescriptor().getMaxDefinitionLevel();
        PrimitiveType.PrimitiveTypeName type = cr.getDescriptor().getPrimitiveType().getPrimitiveTypeName();
        switch (kind) {
            case DOUBLE -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    if (cr.getCurrentDefinitionLevel() < maxDef) {
                        v[i] = Double.NaN;
                    } else {
                        v[i] = switch (type) {
                            case DOUBLE -> cr.getDouble();
                            case FLOAT -> cr.getFloat();
                            case INT32 -> cr.getInteger();
                            default -> cr.getLong();
                        };
                    }
                    cr.consume();
                }
                return v;
            }
            case LONG -> {
                long[] v = new long[n];
                boolean int32 = type == PrimitiveType.PrimitiveTypeName.INT32;
                for (int i = 0; i < n; i++) {
                    if (cr.getCurrentDefinitionLevel() == maxDef) {
                        v[i] = int32 ? cr.getInteger() : cr.getLong();
                    }
                    cr.consume();
                }
                return v;
            }
            case BOOLEAN -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (cr.getCurrentDefinitionLevel() == maxDef) {
                        v[i] = cr.getBoolean();
                    }
                    cr.consume();
                }
                return v;
            }
            default -> {
                int[] v = new int[n];
                Binary last = null; // a stable copy (readers may hand out views of their page buffers)
                int lastCode = -1;
                for (int i = 0; i < n; i++) {
                    if (cr.getCurrentDefinitionLevel() < maxDef) {
                        v[i] = -1;
                    } else {
                        Binary b = cr.getBinary();
                        if (last == null || !last.equals(b)) {
                            Integer code = codes.get(b);
                            if (code == null) {
                                code = dictionary.size();
                                Binary key = b.copy();
                                codes.put(key, code);
                                dictionary.add(key.toStringUsingUTF8());
                            }
                            last = b.copy();
                            lastCode = code;
                        }
                        v[i] = lastCode;
                    }
                    cr.consume();
                }
                return v;
            }
        }
    }
}
