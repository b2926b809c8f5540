package io.ctcohort.analytics;

import io.ctcohort.analytics.cli.AnalyzeCommand;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeGroupsTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze} as the command line runs it, on the flat layout (exams.parquet + measurements.parquet)
 * with the minimum-volume QC table; a bad --in exits 2 with a message naming the path.
 */
class AnalyzeCommandTest extends SharedSpark {
    /** The edge-case fixture (CSV) as a flat folder of exams.parquet + measurements.parquet. */
    static Path edgeFlatFolder(SparkSession spark, Path flat) throws Exception {
        Path edge = EdgeCasesTest.edgeDir();
        spark.read().option("header", "true").schema(new StructType().add("exam_id", DataTypes.StringType)
                        .add("patient_id", DataTypes.StringType).add("age", DataTypes.DoubleType)
                        .add("sex", DataTypes.StringType).add("status", DataTypes.StringType))
                .csv(edge.resolve("exams.csv").toString()).write().parquet(flat.resolve("exams.parquet").toString());
        spark.read().option("header", "true").option("inferSchema", "true").csv(edge.resolve("measurements.csv").toString())
                .write().parquet(flat.resolve("measurements.parquet").toString());
        return flat;
    }

    @Test
    void analyzesFlatFolderWithMinimumVolumeTable(@TempDir Path tmp) throws Exception {
        Path flat = edgeFlatFolder(spark, tmp.resolve("flat"));
        Path minVolume = tmp.resolve("min.csv");
        Files.writeString(minVolume, "# test\nstructure,min_volume_ml\nconstant_hu,31\n");
        Path report = tmp.resolve("report");
        Path tables = tmp.resolve("tables");

        int rc = new CommandLine(new AnalyzeCommand()).execute("--in", flat.toString(), "--report", report.toString(),
                "--tables-out", tables.toString(), "--min-volume", minVolume.toString(), "--master", "local[2]");
        assertEquals(0, rc);
        assertEquals(24, spark.read().parquet(tables.resolve(AgeEffectsTable.NAME).toString()).count());
        assertTrue(spark.read().parquet(tables.resolve(AgeGroupsTable.NAME).toString()).count() > 0);
        String qc = Files.readString(report.resolve(AnalyzeJob.QC_CSV), StandardCharsets.UTF_8);
        assertTrue(qc.matches("(?s).*below_min_volume,[1-9].*"), qc);
        ReportFiles.assertImagesArePngs(report.resolve("index.html"), 5_000);
    }

    @Test
    void badInputExitsTwoWithMessage(@TempDir Path tmp) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new AnalyzeCommand()).execute("--in", tmp.resolve("absent").toString(),
                    "--report", tmp.resolve("r").toString());
        } finally {
            System.setErr(err);
        }
        assertEquals(2, rc);
        String message = captured.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains(tmp.resolve("absent").toString()) && message.contains("no such"), message);
    }

    /** A flat run folder from the edge tables, each exam's status set by {@code status(exam_id, status)}. */
    private static Path flatRun(Path tmp, String name, java.util.function.BinaryOperator<String> status)
            throws Exception {
        Path edge = EdgeCasesTest.edgeDir();
        Path flat = tmp.resolve(name);
        Dataset<Row> exams = spark.read().option("header", "true").schema(new StructType()
                        .add("exam_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
                        .add("age", DataTypes.DoubleType).add("sex", DataTypes.StringType)
                        .add("status", DataTypes.StringType))
                .csv(edge.resolve("exams.csv").toString());
        List<Row> rows = new java.util.ArrayList<>();
        for (Row r : exams.collectAsList()) {
            rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), status.apply(r.getString(0), r.getString(4))));
        }
        spark.createDataFrame(rows, exams.schema()).write().parquet(flat.resolve("exams.parquet").toString());
        spark.read().option("header", "true").option("inferSchema", "true").csv(edge.resolve("measurements.csv").toString())
                .write().parquet(flat.resolve("measurements.parquet").toString());
        return flat;
    }

    private static String[] analyze(Path in, Path report) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new AnalyzeCommand()).execute("--in", in.toString(), "--report", report.toString(),
                    "--master", "local[2]");
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        return new String[] {String.valueOf(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aRunWithoutUsableExamsSaysSoAndExitsThree(@TempDir Path tmp) throws Exception {
        Path run = flatRun(tmp, "none", (id, status) -> "failed");
        String[] r = analyze(run, tmp.resolve("r"));
        assertEquals(String.valueOf(AnalyzeCommand.EXIT_NOTHING_TO_ANALYZE), r[0], r[2]);
        assertTrue(r[2].startsWith("analyze: no usable exams in file:" + run + ": quality control kept 0 of 104"
                + " measurement rows {"), r[2]);
        assertTrue(r[2].contains("exam_not_ok=104"), r[2]);
        assertFalse(r[2].contains("\tat ") || r[1].contains("\tat "), "no stack trace");
    }

    @Test
    void tooFewExamsForEveryStructureExitsThree(@TempDir Path tmp) throws Exception {
        String[] r = analyze(flatRun(tmp, "few", (id, status) -> id.compareTo("E003") < 0 ? "ok" : "failed"),
                tmp.resolve("r"));
        assertEquals(String.valueOf(AnalyzeCommand.EXIT_NOTHING_TO_ANALYZE), r[0], r[2]);
        assertTrue(r[2].contains("analyze: too few usable exams (fewer than 4) for an age effect of 4 structure(s):"
                + " constant_hu (3), liver (3), tiny (3), women_only (2)"), r[2]);
        assertTrue(r[2].contains("had an estimable age effect"), r[2]);
    }

    @Test
    void tooFewExamsForOneStructureIsNamedAndTheRestAnalysed(@TempDir Path tmp) throws Exception {
        // tiny is measured in 5 exams; two of them failed leaves 3
        String[] r = analyze(flatRun(tmp, "one", (id, status) -> id.equals("E006") || id.equals("E011") ? "failed"
                : status), tmp.resolve("r"));
        assertEquals("0", r[0], r[2]);
        assertEquals("analyze: too few usable exams (fewer than 4) for an age effect of 1 structure(s): tiny (3)"
                + System.lineSeparator(), r[2]);
        assertTrue(r[1].contains("24 effects"), r[1]);
    }

    @Test
    void shippedMinimumVolumeTableParses() {
        Path conf = Paths.get("../conf/qc-min-volume.csv");
        Map<String, Double> table = MinVolumeTable.read(conf);
        assertEquals(400.0, table.get("liver"));
        assertTrue(table.size() >= 10);
        AnalyticsException bad = org.junit.jupiter.api.Assertions.assertThrows(AnalyticsException.class,
                () -> MinVolumeTable.read(Paths.get("../pom.xml")));
        assertTrue(bad.getMessage().contains("pom.xml") && bad.getMessage().contains("header"), bad.getMessage());
    }
}
