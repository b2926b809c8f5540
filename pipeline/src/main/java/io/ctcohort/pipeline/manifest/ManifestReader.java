package io.ctcohort.pipeline.manifest;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads and validates a manifest (CSV with a header, or Parquet; chosen by the name ending
 * {@code .parquet} or a directory, else CSV) before any work starts. Every problem is collected and
 * reported at once, naming its rows: missing required columns, empty or duplicate exam_ids,
 * rows with the wrong number of fields, unparseable ages or contrast phases, column names a table
 * cannot hold. The contrast columns ({@link ContrastColumns}) are parsed here, once, into each
 * entry's {@link ManifestEntry#givenPhase()}, and the optional {@code reference_mask_uri} (resolved as
 * mask_uri is) into its {@link ManifestEntry#referenceMaskUri()}; it also stays a pass-through column,
 * which shared tables drop as they drop mask_uri. image_uri, mask_uri and reference_mask_uri are
 * resolved against the manifest's folder and parsed into {@link ImageRef}s here: an unknown scheme or
 * a {@code #} not followed by a SeriesInstanceUID is refused naming its row.
 *
 * <p>CSV is parsed with univocity (the parser Spark's own CSV source uses) rather than Spark's CSV
 * reader because validation needs each record's line number.
 */
public final class ManifestReader {
    private static final int MAX_REPORTED = 20;
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Columns a manifest must have numeric values in (empty allowed). */
    private static final Set<String> NUMERIC_COLUMNS = Set.of(Columns.AGE);

    private final List<String> required;
    private final Set<String> reserved;

    /**
     * @param required columns that must be present and non-empty in every row (exam_id first)
     * @param reserved result column names the manifest may not use (they would clash in {@code exams})
     */
    public ManifestReader(List<String> required, Set<String> reserved) {
        this.required = List.copyOf(required);
        this.reserved = Set.copyOf(reserved);
    }

    public Manifest read(SparkSession spark, String uri) {
        Path path = new Path(uri);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                throw new InvalidManifestException("manifest " + uri + ": no such file");
            }
            boolean parquet = fs.getFileStatus(path).isDirectory()
                    || uri.toLowerCase(Locale.ROOT).endsWith(".parquet");
            Path qualified = fs.makeQualified(path);
            return parquet ? readParquet(spark, uri, qualified) : readCsv(fs, qualified, uri);
        } catch (IOException e) {
            throw new InvalidManifestException("manifest " + uri + ": cannot read: " + e);
        }
    }

    private Manifest readCsv(FileSystem fs, Path path, String uri) throws IOException {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setHeaderExtractionEnabled(false);
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(1 << 16);
        settings.setIgnoreLeadingWhitespaces(true);
        settings.setIgnoreTrailingWhitespaces(true);
        settings.setSkipEmptyLines(true);
        settings.setCommentProcessingEnabled(false);
        CsvParser parser = new CsvParser(settings);
        List<String> problems = new ArrayList<>();
        List<String[]> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        String[] header;
        try (InputStream in = fs.open(path)) {
            parser.beginParsing(new InputStreamReader(in, StandardCharsets.UTF_8));
            header = parser.parseNext();
            if (header == null) {
                throw new InvalidManifestException("manifest " + uri + ": empty file (no header)");
            }
            String[] rec;
            while (true) {
                long line = parser.getContext().currentLine() + 1;
                try {
                    rec = parser.parseNext();
                } catch (RuntimeException e) {
                    problems.add("line " + line + ": unparseable (" + e.getMessage().lines().findFirst().orElse("") + ")");
                    break;
                }
                if (rec == null) {
                    break;
                }
                records.add(rec);
                lines.add(parser.getContext().currentLine());
            }
        } finally {
            parser.stopParsing();
        }
        for (int i = 0; i < header.length; i++) {
            header[i] = header[i] == null ? "" : header[i].strip();
        }
        checkColumns(uri, List.of(header), problems);
        throwIfAny(uri, problems);

        int n = header.length;
        for (int r = 0; r < records.size(); r++) {
            if (records.get(r).length != n) {
                problems.add("line " + lines.get(r) + ": " + records.get(r).length + " fields, header has " + n);
            }
        }
        // Pass-through column types: known numeric columns must parse; ids and text stay strings.
        StructType pass = new StructType();
        List<Integer> passIndex = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            if (header[c].equals(Manifest.EXAM_ID) || ContrastColumns.isInput(header[c])) {
                continue;
            }
            DataType t = inferType(header[c], c, records, lines, problems);
            pass = pass.add(header[c], t, true);
            passIndex.add(c);
            types.add(t);
        }
        throwIfAny(uri, problems);

        List<ManifestEntry> entries = new ArrayList<>(records.size());
        int examCol = List.of(header).indexOf(Manifest.EXAM_ID);
        int imageCol = List.of(header).indexOf(Manifest.IMAGE_URI);
        int maskCol = List.of(header).indexOf(Manifest.MASK_URI);
        int referenceCol = List.of(header).indexOf(Manifest.REFERENCE_MASK_URI);
        int[] contrastCols = contrastColumns(List.of(header));
        Set<Long> unparsed = new HashSet<>();
        for (int r = 0; r < records.size(); r++) {
            String[] rec = records.get(r);
            Refs refs = new Refs(path, "line " + lines.get(r), lines.get(r), unparsed, problems);
            Object[] values = new Object[passIndex.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = convert(rec[passIndex.get(k)], types.get(k));
            }
            PhaseCall given = givenPhase(contrastCols, c -> value(rec, c), "line " + lines.get(r), problems);
            entries.add(new ManifestEntry(lines.get(r), blankToNull(rec[examCol]),
                    refs.parse(Manifest.IMAGE_URI, rec[imageCol]),
                    maskCol >= 0 ? refs.parse(Manifest.MASK_URI, rec[maskCol]) : null, values, given,
                    referenceCol >= 0 ? refs.parse(Manifest.REFERENCE_MASK_URI, rec[referenceCol]) : null));
        }
        checkEntries(uri, entries, "line", unparsed, problems);
        throwIfAny(uri, problems);
        return new Manifest(uri, pass, entries);
    }

    private Manifest readParquet(SparkSession spark, String uri, Path path) {
        Dataset<Row> df;
        try {
            df = spark.read().parquet(uri);
        } catch (RuntimeException e) {
            throw new InvalidManifestException("manifest " + uri + ": not readable as Parquet: " + e.getMessage());
        }
        StructType schema = df.schema();
        List<String> problems = new ArrayList<>();
        checkColumns(uri, List.of(schema.fieldNames()), problems);
        List<String> mustBeText = new ArrayList<>(required);
        mustBeText.add(ContrastColumns.PHASE);
        mustBeText.add(Manifest.REFERENCE_MASK_URI);
        for (String c : mustBeText) {
            if (List.of(schema.fieldNames()).contains(c)
                    && !schema.apply(c).dataType().equals(DataTypes.StringType)) {
                problems.add("column " + c + " must be a string, is " + schema.apply(c).dataType().simpleString());
            }
        }
        throwIfAny(uri, problems);
        StructType pass = new StructType();
        List<Integer> passIndex = new ArrayList<>();
        for (int c = 0; c < schema.fields().length; c++) {
            StructField f = schema.fields()[c];
            if (!f.name().equals(Manifest.EXAM_ID) && !ContrastColumns.isInput(f.name())) {
                pass = pass.add(f.name(), f.dataType(), true);
                passIndex.add(c);
            }
        }
        List<Row> rows = df.collectAsList();
        int examCol = schema.fieldIndex(Manifest.EXAM_ID);
        int imageCol = schema.fieldIndex(Manifest.IMAGE_URI);
        int maskCol = List.of(schema.fieldNames()).indexOf(Manifest.MASK_URI);
        int referenceCol = List.of(schema.fieldNames()).indexOf(Manifest.REFERENCE_MASK_URI);
        int[] contrastCols = contrastColumns(List.of(schema.fieldNames()));
        List<ManifestEntry> entries = new ArrayList<>(rows.size());
        Set<Long> unparsed = new HashSet<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            Refs refs = new Refs(path, "row " + (r + 1), r + 1, unparsed, problems);
            Object[] values = new Object[passIndex.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = row.get(passIndex.get(k));
            }
            PhaseCall given = givenPhase(contrastCols, c -> row.isNullAt(c) ? null : blankToNull(
                    String.valueOf(row.get(c))), "row " + (r + 1), problems);
            entries.add(new ManifestEntry(r + 1, blankToNull(row.getString(examCol)),
                    refs.parse(Manifest.IMAGE_URI, row.getString(imageCol)),
                    maskCol >= 0 ? refs.parse(Manifest.MASK_URI, (String) row.get(maskCol)) : null, values, given,
                    referenceCol >= 0 ? refs.parse(Manifest.REFERENCE_MASK_URI, (String) row.get(referenceCol)) : null));
        }
        checkEntries(uri, entries, "row", unparsed, problems);
        throwIfAny(uri, problems);
        return new Manifest(uri, pass, entries);
    }

    private void checkColumns(String uri, List<String> columns, List<String> problems) {
        List<String> missing = new ArrayList<>();
        for (String c : required) {
            if (!columns.contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            problems.add("missing required column(s) " + missing + " (has " + columns + ")");
        }
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            if (!seen.add(c.toLowerCase(Locale.ROOT))) {
                problems.add("column " + c + " appears twice");
            }
            if (!COLUMN_NAME.matcher(c).matches()) {
                problems.add("column name '" + c + "' is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
            }
            if (reserved.contains(c.toLowerCase(Locale.ROOT)) && !ContrastColumns.isInput(c)) {
                problems.add("column " + c + " clashes with a result column of the exams table");
            }
        }
    }

    private void checkEntries(String uri, List<ManifestEntry> entries, String unit, Set<Long> unparsed,
                              List<String> problems) {
        if (entries.isEmpty()) {
            problems.add("no exams");
        }
        Map<String, List<Long>> byId = new LinkedHashMap<>();
        for (ManifestEntry e : entries) {
            if (e.examId() == null) {
                problems.add(unit + " " + e.row() + ": empty exam_id");
            } else {
                byId.computeIfAbsent(e.examId(), k -> new ArrayList<>()).add(e.row());
            }
            if (e.imageUri() == null && !unparsed.contains(e.row())) {
                problems.add(unit + " " + e.row() + ": empty image_uri");
            }
            if (required.contains(Manifest.MASK_URI) && e.maskUri() == null && !unparsed.contains(e.row())) {
                problems.add(unit + " " + e.row() + ": empty mask_uri");
            }
        }
        byId.forEach((id, rows) -> {
            if (rows.size() > 1) {
                problems.add("duplicate exam_id '" + id + "' on " + unit + "s " + rows);
            }
        });
    }

    /** Known numeric columns must parse; *_id, sex and anything with leading zeros stay text; else inferred. */
    private static DataType inferType(String name, int col, List<String[]> records, List<Long> lines,
                                      List<String> problems) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (NUMERIC_COLUMNS.contains(lower)) {
            for (int r = 0; r < records.size(); r++) {
                String v = value(records.get(r), col);
                if (v != null && parseDouble(v) == null) {
                    problems.add("line " + lines.get(r) + ": " + name + " '" + v + "' is not a number");
                }
            }
            return DataTypes.DoubleType;
        }
        if (lower.endsWith("_id") || lower.endsWith("_uri") || lower.equals(Columns.SEX)
                || ContrastColumns.isText(lower)) {
            return DataTypes.StringType;
        }
        boolean allLong = true;
        boolean allDouble = true;
        boolean allBool = true;
        boolean any = false;
        for (String[] rec : records) {
            String v = value(rec, col);
            if (v == null) {
                continue;
            }
            any = true;
            boolean leadingZero = v.length() > 1 && v.charAt(0) == '0' && Character.isDigit(v.charAt(1));
            allLong &= !leadingZero && v.matches("[+-]?\\d{1,18}");
            allDouble &= !leadingZero && parseDouble(v) != null;
            allBool &= v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
        }
        if (!any) {
            return DataTypes.StringType;
        }
        return allLong ? DataTypes.LongType : allDouble ? DataTypes.DoubleType
                : allBool ? DataTypes.BooleanType : DataTypes.StringType;
    }

    /**
     * Indices of contrast_phase, contrast_agent_dicom and contrast_route_dicom among the columns (-1:
     * absent), matched without case as the reserved names are.
     */
    private static int[] contrastColumns(List<String> columns) {
        int[] at = {-1, -1, -1};
        List<String> names = List.of(ContrastColumns.PHASE, ContrastColumns.AGENT_DICOM, ContrastColumns.ROUTE_DICOM);
        for (int c = 0; c < columns.size(); c++) {
            int k = names.indexOf(columns.get(c).toLowerCase(Locale.ROOT));
            if (k >= 0) {
                at[k] = c;
            }
        }
        return at;
    }

    /** A row's contrast phase ({@link ContrastColumns#given}); a value that is no phase is one problem, naming it. */
    private static PhaseCall givenPhase(int[] cols, IntFunction<String> cell, String where, List<String> problems) {
        String raw = cols[0] >= 0 ? cell.apply(cols[0]) : null;
        ContrastPhase phase;
        try {
            phase = ContrastColumns.parsePhase(raw);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + ContrastColumns.PHASE + " '" + raw + "' is not one of native, arterial, "
                    + "portal_venous, delayed, unknown");
            return null;
        }
        return ContrastColumns.given(phase, cols[1] >= 0 ? cell.apply(cols[1]) : null,
                cols[2] >= 0 ? cell.apply(cols[2]) : null);
    }

    private static Object convert(String raw, DataType type) {
        String v = blankToNull(raw);
        if (v == null) {
            return null;
        }
        if (type.equals(DataTypes.LongType)) {
            return Long.parseLong(v);
        } else if (type.equals(DataTypes.DoubleType)) {
            return parseDouble(v);
        } else if (type.equals(DataTypes.BooleanType)) {
            return Boolean.parseBoolean(v);
        }
        return v;
    }

    /**
     * One row's image references: each resolved against the manifest's folder and parsed; a bad one is a
     * problem naming the row and column (and the row is not reported as empty besides).
     */
    private record Refs(Path manifest, String where, long row, Set<Long> unparsed, List<String> problems) {
        ImageRef parse(String column, String raw) {
            try {
                String v = resolve(manifest, raw);
                return v == null ? null : ImageRef.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + column + " " + e.getMessage());
                unparsed.add(row);
                return null;
            }
        }
    }

    /** A relative path is relative to the manifest's folder (so a cohort folder can move as a whole). */
    private static String resolve(Path manifest, String raw) {
        String v = blankToNull(raw);
        if (v == null) {
            return null;
        }
        if (v.startsWith("/")) {
            return v; // absolute: no Hadoop path parsed for each of a million rows
        }
        Path p = new Path(v);
        if (p.isAbsolute() || p.toUri().getScheme() != null) {
            return v;
        }
        return new Path(manifest.getParent(), p).toString();
    }

    private static String value(String[] rec, int col) {
        return col < rec.length ? blankToNull(rec[col]) : null;
    }

    private static Double parseDouble(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void throwIfAny(String uri, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("manifest " + uri + " refused (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "), nothing was processed:");
        for (int i = 0; i < Math.min(MAX_REPORTED, problems.size()); i++) {
            sb.append("\n  ").append(problems.get(i));
        }
        if (problems.size() > MAX_REPORTED) {
            sb.append("\n  ... and ").append(problems.size() - MAX_REPORTED).append(" more");
        }
        throw new InvalidManifestException(sb.toString());
    }
}
