package io.ctcohort.analytics;

import io.ctcohort.analytics.cli.AnalyzeCommand;
import io.ctcohort.analytics.local.LocalAgeStudy;
import io.ctcohort.analytics.report.PlotData;
import io.ctcohort.core.tables.AgeEffectsTable;
import io.ctcohort.core.tables.AgeGroupsTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The plain-Java engine (LocalAgeStudy) against the Spark engine (AgeStudy): the same QC counts, and
 * every effect, age group and plot point identical to the last bit, on the golden cohort and the
 * edge-case fixture under every study option; the golden values reproduced to 1e-8; the same refusals;
 * a column only Spark reads makes the plain engine decline; analyze without --report writes tables only.
 */
class LocalEngineTest {
    private static SparkSession spark;
    private static Configuration conf;

    @BeforeAll
    static void start() {
        spark = SparkTests.start("LocalEngineTest");
        conf = spark.sparkContext().hadoopConfiguration();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void goldenCohortIdenticalToSparkAndStatsmodels() throws Exception {
        assumeTrue(SparkTests.regressionPresent(), "reference data absent: " + SparkTests.regression().toAbsolutePath());
        java.nio.file.Path dir = SparkTests.regression();
        assertIdentical(dir.resolve("exams.parquet").toString(), dir.resolve("measurements.parquet").toString(),
                StudyOptions.defaults());
        LocalAgeStudy.Result local = LocalAgeStudy.run(conf, new Path(dir.resolve("exams.parquet").toString()),
                new Path(dir.resolve("measurements.parquet").toString()), StudyOptions.defaults(), false);
        double worst = ExpectedCsv.assertMatches(ExpectedCsv.read(dir.resolve("expected_age_effects.csv")), local.effects());
        System.out.println("local engine, worst relative error vs statsmodels/scipy: " + worst);
        assertTrue(local.plots().isEmpty(), "no plot data without a report");
    }

    @Test
    void edgeCasesIdenticalUnderEveryOption(@TempDir java.nio.file.Path tmp) throws Exception {
        String[] t = edgeTables(tmp, false);
        Map<String, Map<String, String>> expected =
                ExpectedCsv.read(EdgeCasesTest.edgeDir().resolve("expected_age_effects.csv"));
        LocalAgeStudy.Result local = LocalAgeStudy.run(conf, new Path(t[0]), new Path(t[1]), StudyOptions.defaults(), true);
        ExpectedCsv.assertMatches(expected, local.effects());
        assertEquals(Map.of("no_exam_row", 0L, "exam_not_ok", 2L, "touches_border", 1L, "empty", 1L,
                "below_min_volume", 0L), local.removed());

        assertIdentical(t[0], t[1], StudyOptions.defaults());
        assertIdentical(t[0], t[1], new StudyOptions(List.of(), false, Map.of("constant_hu", 31.0), null));
        assertIdentical(t[0], t[1], StudyOptions.defaults().withBorderExempt(List.of("liver")));
        String[] withBmi = edgeTables(tmp.resolve("bmi"), true);
        assertIdentical(withBmi[0], withBmi[1], new StudyOptions(List.of("bmi"), true, Map.of(), null));
    }

    @Test
    void modelsAndRepeatedExamsRefusedAlike(@TempDir java.nio.file.Path tmp) throws Exception {
        String[] t = edgeTables(tmp, false);
        Dataset<Row> exams = spark.read().parquet(t[0]);
        Dataset<Row> m = spark.read().parquet(t[1]);
        // exams of two models, measurements of model b only: --model b analyses b; without it the join is by model
        String twoModels = tmp.resolve("two_models_exams").toString();
        exams.withColumn("model_id", functions.lit("a")).union(exams.withColumn("model_id", functions.lit("b")))
                .write().parquet(twoModels);
        String mB = tmp.resolve("m_b").toString();
        m.withColumn("model_id", functions.lit("b")).write().parquet(mB);
        assertIdentical(twoModels, mB, new StudyOptions(List.of(), false, Map.of(), "b"));
        assertIdentical(twoModels, mB, StudyOptions.defaults());

        String mAB = tmp.resolve("m_ab").toString();
        m.withColumn("model_id", functions.when(functions.col("structure").equalTo("liver"), "a").otherwise("b"))
                .write().parquet(mAB);
        assertIdentical(twoModels, mAB, new StudyOptions(List.of(), false, Map.of(), "a"));
        AnalyticsException several = assertThrows(AnalyticsException.class,
                () -> LocalAgeStudy.run(conf, new Path(twoModels), new Path(mAB), StudyOptions.defaults(), false));
        assertTrue(several.getMessage().contains("several models") && several.getMessage().contains("--model"),
                several.getMessage());

        String first = exams.first().getString(0);
        String twice = tmp.resolve("twice").toString();
        exams.union(exams.filter(functions.col("exam_id").equalTo(first))).write().parquet(twice);
        AnalyticsException e = assertThrows(AnalyticsException.class,
                () -> LocalAgeStudy.run(conf, new Path(twice), new Path(t[1]), StudyOptions.defaults(), false));
        assertTrue(e.getMessage().contains("exam_id " + first + " has 2 rows"), e.getMessage());
        e = assertThrows(AnalyticsException.class,
                () -> LocalAgeStudy.run(conf, new Path(twoModels), new Path(t[1]), StudyOptions.defaults(), false));
        assertTrue(e.getMessage().contains("carry no model_id"), e.getMessage());
    }

    @Test
    void aColumnOnlySparkReadsMakesThePlainEngineDecline(@TempDir java.nio.file.Path tmp) throws Exception {
        String[] t = edgeTables(tmp, false);
        String textAge = tmp.resolve("text_age").toString();
        spark.read().parquet(t[0]).withColumn("age", functions.col("age").cast("string")).write().parquet(textAge);
        LocalAgeStudy.Declined d = assertThrows(LocalAgeStudy.Declined.class,
                () -> LocalAgeStudy.run(conf, new Path(textAge), new Path(t[1]), StudyOptions.defaults(), false));
        assertTrue(d.getMessage().contains("age"), d.getMessage());

        // analyze then runs Spark, which casts the text to double: the same effects as before
        java.nio.file.Path flat = tmp.resolve("flat");
        spark.read().parquet(textAge).write().parquet(flat.resolve("exams.parquet").toString());
        spark.read().parquet(t[1]).write().parquet(flat.resolve("measurements.parquet").toString());
        String out = analyze("--in", flat.toString(), "--tables-out", tmp.resolve("tables").toString(), "--no-centiles");
        assertTrue(out.contains("engine: spark (the plain reader declined"), out);
        ExpectedCsv.assertMatches(ExpectedCsv.read(EdgeCasesTest.edgeDir().resolve("expected_age_effects.csv")),
                CsvEffects.fromParquet(spark.read().parquet(tmp.resolve("tables").resolve(AgeEffectsTable.NAME).toString())));
    }

    @Test
    void commandTablesOnlyAndBothEnginesWriteTheSameTables(@TempDir java.nio.file.Path tmp) throws Exception {
        String[] t = edgeTables(tmp, false);
        java.nio.file.Path flat = tmp.resolve("flat");
        Files.createDirectories(flat);
        spark.read().parquet(t[0]).write().parquet(flat.resolve("exams.parquet").toString());
        spark.read().parquet(t[1]).write().parquet(flat.resolve("measurements.parquet").toString());
        java.nio.file.Path local = tmp.resolve("local");
        java.nio.file.Path sparkTables = tmp.resolve("spark");
        // The centile pass runs on Spark: without it, auto picks the plain engine for this small cohort.
        String outLocal = analyze("--in", flat.toString(), "--tables-out", local.toString(), "--no-centiles");
        assertTrue(outLocal.contains("engine: local (") && outLocal.contains("report: none"), outLocal);
        String outSpark = analyze("--in", flat.toString(), "--tables-out", sparkTables.toString(), "--engine", "spark",
                "--report", tmp.resolve("report").toString(), "--no-centiles");
        assertTrue(outSpark.contains("engine: spark (--engine spark)"), outSpark);
        String withCentiles = analyze("--in", flat.toString(), "--tables-out", tmp.resolve("c").toString());
        assertTrue(withCentiles.contains("engine: spark (the centile pass runs on Spark"), withCentiles);
        assertFalse(Files.exists(local.resolve("report")));
        for (String table : List.of(AgeEffectsTable.NAME, AgeGroupsTable.NAME)) {
            Dataset<Row> a = spark.read().parquet(local.resolve(table).toString());
            Dataset<Row> b = spark.read().parquet(sparkTables.resolve(table).toString());
            assertEquals(b.schema(), a.schema(), table + ": same columns, types and nullability");
            assertEquals(b.collectAsList(), a.collectAsList(), table + ": same rows in the same order");
            assertTrue(Files.exists(local.resolve(table).resolve("_SUCCESS")));
        }
        assertEquals(AgeEffectsTable.SCHEMA.json(), io.ctcohort.analytics.local.ParquetTables.sparkSchemaJson(AgeEffectsTable.SCHEMA));
        assertEquals(AgeGroupsTable.SCHEMA.json(), io.ctcohort.analytics.local.ParquetTables.sparkSchemaJson(AgeGroupsTable.SCHEMA));
        ReportFiles.assertImagesArePngs(tmp.resolve("report").resolve("index.html"), 5_000);
    }

    private static String analyze(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new AnalyzeCommand()).execute(args);
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, rc, text);
        return text;
    }

    /** The edge fixture as Parquet tables {exams, measurements} (optionally with a bmi column). */
    private static String[] edgeTables(java.nio.file.Path tmp, boolean bmi) throws Exception {
        java.nio.file.Path dir = EdgeCasesTest.edgeDir();
        Dataset<Row> exams = spark.read().option("header", "true").schema(new StructType()
                        .add("exam_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
                        .add("age", DataTypes.DoubleType).add("sex", DataTypes.StringType)
                        .add("status", DataTypes.StringType))
                .csv(dir.resolve("exams.csv").toString());
        if (bmi) {
            exams = exams.withColumn("bmi", functions.expr("20 + (hash(exam_id) % 7)"));
        }
        Dataset<Row> m = spark.read().option("header", "true").schema(new StructType()
                        .add("exam_id", DataTypes.StringType).add("structure", DataTypes.StringType)
                        .add("label", DataTypes.IntegerType).add("voxel_count", DataTypes.LongType)
                        .add("volume_ml", DataTypes.DoubleType).add("hu_mean", DataTypes.DoubleType)
                        .add("touches_border", DataTypes.BooleanType))
                .csv(dir.resolve("measurements.csv").toString());
        String e = tmp.resolve("exams").toString();
        String ms = tmp.resolve("measurements").toString();
        exams.repartition(2).write().parquet(e);     // several part files, rows out of order
        m.repartition(3).write().parquet(ms);
        return new String[] {e, ms};
    }

    /** Both engines on the same Parquet tables: identical counts, effects, age groups and plot data. */
    private static void assertIdentical(String exams, String measurements, StudyOptions options) throws Exception {
        AgeStudy.Result s = AgeStudy.run(spark, spark.read().parquet(exams), spark.read().parquet(measurements), options);
        LocalAgeStudy.Result l = LocalAgeStudy.run(conf, new Path(exams), new Path(measurements), options, true);
        try {
            assertEquals(s.qc().total(), l.total());
            assertEquals(s.qc().removed(), l.removed());
            assertEquals(s.effects(), l.effects(), "effects identical (record equality: every double bit for bit)");
            assertEquals(s.ageGroups(), l.ageGroups());
            assertEquals(s.plots().keySet(), l.plots().keySet());
            for (String k : s.plots().keySet()) {
                PlotData a = s.plots().get(k);
                PlotData b = l.plots().get(k);
                for (int i = 0; i < a.panels().length; i++) {
                    assertArrayEquals(a.panels()[i].x(), b.panels()[i].x());
                    assertArrayEquals(a.panels()[i].y(), b.panels()[i].y());
                    assertArrayEquals(a.panels()[i].curveX(), b.panels()[i].curveX());
                    assertArrayEquals(a.panels()[i].curveY(), b.panels()[i].curveY());
                }
            }
            assertFalse(l.effects().isEmpty());
            System.out.println("engines identical: " + l.effects().size() + " effects, " + l.ageGroups().size()
                    + " age groups, options " + options + ", effects e.g. " + Arrays.asList(l.effects().get(0)));
        } finally {
            s.release();
        }
    }
}
