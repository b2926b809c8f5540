package io.ctcohort.analytics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge cases against statsmodels/scipy (fixture and expected values from
 * src/test/python/make_edge_fixture.py): a stratum of 3 patients, one of 2 (not estimable), a
 * constant metric, an all-female structure (collinear 'all' design, empty M), ages with heavy ties,
 * missing age, sex and metric (null and NaN), a failed exam, border and empty rows.
 */
class EdgeCasesTest {
    private static SparkSession spark;
    private static Dataset<Row> exams;
    private static Dataset<Row> measurements;

    @BeforeAll
    static void start() throws URISyntaxException {
        spark = SparkTests.start("EdgeCasesTest");
        Path dir = edgeDir();
        exams = spark.read().option("header", "true").schema(new StructType()
                        .add("exam_id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
                        .add("age", DataTypes.DoubleType).add("sex", DataTypes.StringType)
                        .add("status", DataTypes.StringType))
                .csv(dir.resolve("exams.csv").toString());
        measurements = spark.read().option("header", "true").schema(new StructType()
                        .add("exam_id", DataTypes.StringType).add("structure", DataTypes.StringType)
                        .add("label", DataTypes.IntegerType).add("voxel_count", DataTypes.LongType)
                        .add("volume_ml", DataTypes.DoubleType).add("hu_mean", DataTypes.DoubleType)
                        .add("touches_border", DataTypes.BooleanType))
                .csv(dir.resolve("measurements.csv").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Path edgeDir() throws URISyntaxException {
        return Paths.get(EdgeCasesTest.class.getResource("/edge/expected_age_effects.csv").toURI()).getParent();
    }

    @Test
    void anExamWithTwoRowsIsRefusedNotCountedTwice() {
        String first = exams.first().getString(0);
        Dataset<Row> twice = exams.union(exams.filter(functions.col("exam_id").equalTo(first)));
        AnalyticsException e = assertThrows(AnalyticsException.class,
                () -> AgeStudy.run(spark, twice, measurements, StudyOptions.defaults()));
        assertTrue(e.getMessage().contains("exam_id " + first + " has 2 rows"), e.getMessage());

        Dataset<Row> twoModels = exams.withColumn("model_id", functions.lit("a"))
                .union(exams.withColumn("model_id", functions.lit("b")));
        e = assertThrows(AnalyticsException.class,
                () -> AgeStudy.run(spark, twoModels, measurements, StudyOptions.defaults()));
        assertTrue(e.getMessage().contains("carry no model_id"), e.getMessage());
    }

    @Test
    void matchesStatsmodelsOnEdgeCases() throws Exception {
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, StudyOptions.defaults());
        Map<String, Map<String, String>> expected = ExpectedCsv.read(edgeDir().resolve("expected_age_effects.csv"));
        ExpectedCsv.assertMatches(expected, result.effects());
        assertEquals(expected.size(), result.effects().size());

        // the failed exam's 2 rows, one border row, one empty row
        assertEquals(Map.of("no_exam_row", 0L, "exam_not_ok", 2L, "touches_border", 1L, "empty", 1L,
                "below_min_volume", 0L), result.qc().removed());

        assertEquals(3, find(result.effects(), "tiny", "volume_ml", "F").n());
        assertNull(find(result.effects(), "tiny", "volume_ml", "F").reason());
        AgeEffect two = find(result.effects(), "tiny", "volume_ml", "M");
        assertEquals(2, two.n());
        assertTrue(two.reason().contains("too small") && two.reason().contains("n < 3"), two.reason());
        AgeEffect constant = find(result.effects(), "constant_hu", "hu_mean", "all");
        assertTrue(constant.reason().contains("constant metric"), constant.reason());
        AgeEffect collinear = find(result.effects(), "women_only", "volume_ml", "all");
        assertTrue(collinear.reason().contains("collinear"), collinear.reason());
        assertTrue(Double.isFinite(collinear.spearmanRho()), "Spearman needs no sex term");
        assertEquals(0, find(result.effects(), "women_only", "hu_mean", "M").n());
        result.release();
    }

    @Test
    void ageGroupsMatchDirectAggregation() {
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, StudyOptions.defaults());
        List<AgeGroupRow> groups = result.ageGroups();
        // liver volume, women, decade 30-39: recompute from the passing rows independently with Spark SQL
        Row direct = result.passed().filter("structure = 'liver' AND sex = 'F' AND age >= 30 AND age < 40 "
                        + "AND volume_ml IS NOT NULL AND NOT isnan(volume_ml)")
                .selectExpr("count(*)", "avg(volume_ml)", "stddev_samp(volume_ml)", "percentile(volume_ml, 0.5)",
                        "min(age)", "max(age)").first();
        AgeGroupRow g = groups.stream().filter(r -> r.structure().equals("liver") && r.metric().equals("volume_ml")
                && r.sex().equals("F") && r.grouping().equals("decade") && r.ageGroup().equals("30-39"))
                .findFirst().orElseThrow();
        assertEquals(direct.getLong(0), g.n());
        assertEquals(direct.getDouble(1), g.mean(), 1e-9);
        assertEquals(direct.getDouble(2), g.sd(), 1e-9);
        assertEquals(direct.getDouble(3), g.median(), 1e-9);
        assertEquals(direct.getDouble(4), g.ageMin());
        assertEquals(direct.getDouble(5), g.ageMax());
        // quartiles of 'all' cover every liver row that enters the 'all' fits, each row once
        List<AgeGroupRow> quartiles = groups.stream().filter(r -> r.structure().equals("liver")
                && r.metric().equals("hu_mean") && r.sex().equals("all") && r.grouping().equals("quartile")).toList();
        assertEquals(List.of("Q1", "Q2", "Q3", "Q4"), quartiles.stream().map(AgeGroupRow::ageGroup).toList());
        assertEquals(find(result.effects(), "liver", "hu_mean", "all").n(),
                quartiles.stream().mapToLong(AgeGroupRow::n).sum());
        // quartile cuts are percentiles of the exam ages: Q1's oldest is at most the 25 % percentile
        double q25 = result.passed().filter("age IS NOT NULL AND sex IN ('F','M')").select("exam_id", "age").distinct()
                .selectExpr("percentile(age, 0.25)").first().getDouble(0);
        assertTrue(quartiles.get(0).ageMax() <= q25 && quartiles.get(1).ageMin() > q25);
        result.release();
    }

    @Test
    void minimumVolumeRuleRemovesImplausiblySmallRows() {
        StudyOptions options = new StudyOptions(List.of(), false, Map.of("constant_hu", 31.0), null);
        long expectedRemoved = measurements.join(exams, "exam_id")
                .filter("status = 'ok' AND structure = 'constant_hu' AND volume_ml < 31 AND NOT touches_border "
                        + "AND voxel_count > 0").count();
        assertTrue(expectedRemoved > 0);
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, options);
        assertEquals(expectedRemoved, result.qc().removed().get("below_min_volume"));
        assertEquals(0, result.passed().filter("structure = 'constant_hu' AND volume_ml < 31").count());
        result.release();
    }

    @Test
    void borderExemptStructuresKeepTheirBorderRows() {
        AgeStudy.Result plain = AgeStudy.run(spark, exams, measurements, StudyOptions.defaults());
        AgeStudy.Result exempt = AgeStudy.run(spark, exams, measurements,
                StudyOptions.defaults().withBorderExempt(List.of("liver")));
        assertEquals(0L, exempt.qc().removed().get("touches_border"));
        assertEquals(find(plain.effects(), "liver", "volume_ml", "all").n() + 1,
                find(exempt.effects(), "liver", "volume_ml", "all").n(), "the one liver border row is back");
        plain.release();
        exempt.release();
    }

    @Test
    void extraCovariateAndAgeSquaredAreFitted() {
        Dataset<Row> withBmi = exams.withColumn("bmi", org.apache.spark.sql.functions.expr("20 + (hash(exam_id) % 7)"));
        AgeStudy.Result plain = AgeStudy.run(spark, withBmi, measurements, StudyOptions.defaults());
        AgeStudy.Result adjusted = AgeStudy.run(spark, withBmi, measurements,
                new StudyOptions(List.of("bmi"), true, Map.of(), null));
        AgeEffect a = find(plain.effects(), "liver", "volume_ml", "all");
        AgeEffect b = find(adjusted.effects(), "liver", "volume_ml", "all");
        assertEquals(a.n(), b.n());
        assertNull(b.reason());
        assertTrue(Double.isFinite(b.betaAge()) && b.betaAge() != a.betaAge());
        assertTrue(b.r2() >= a.r2() - 1e-12, "more predictors never lower R^2");
        // 3 women, 4 parameters (1, age, age^2, bmi): not estimable, with a reason
        AgeEffect tiny = find(adjusted.effects(), "tiny", "volume_ml", "F");
        assertTrue(Double.isNaN(tiny.betaAge()));
        assertNotNull(tiny.reason());
        plain.release();
        adjusted.release();
    }

    static AgeEffect find(List<AgeEffect> effects, String structure, String metric, String stratum) {
        return effects.stream().filter(e -> e.structure().equals(structure) && e.metric().equals(metric)
                && e.stratum().equals(stratum)).findFirst().orElseThrow();
    }
}
