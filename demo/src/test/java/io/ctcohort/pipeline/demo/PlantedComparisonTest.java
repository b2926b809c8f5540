package io.ctcohort.pipeline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.demo.Estimate.Interval;
import io.ctcohort.pipeline.demo.PlantedComparison.Comparison;
import io.ctcohort.pipeline.demo.PlantedComparison.Kind;
import io.ctcohort.pipeline.demo.PlantedComparison.Planted;
import io.ctcohort.pipeline.demo.PlantedComparison.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo table's logic on hand-made estimates whose every verdict is known: coverage of the
 * truth-fitted and planted slopes, the unadjusted fit that misses both, the calibrated columns
 * counted where present and shown as "-" where absent, and the age_effects reader that fills those
 * columns only where the table has them.
 */
class PlantedComparisonTest {
    static final Planted KIDNEY = new Planted(Kind.STRUCTURE, "kidney_left", "volume_ml", -0.45, "%", true, false);
    static final Planted SPINE = new Planted(Kind.STRUCTURE, "vertebrae_L1", "hu_mean", -2.1, "HU", false, false);
    static final Planted TRABECULAR = new Planted(Kind.BIOMARKER, "vertebrae_L1", "trabecular_hu", -2.5, "HU", false,
            false);
    static final Planted LIVER = new Planted(Kind.BIOMARKER, "liver", "liver_hu", 0.0, "HU", false, false);
    static final List<Planted> PLANTED = List.of(KIDNEY, SPINE, TRABECULAR, LIVER);

    @TempDir
    Path tmp;

    static Estimate est(double beta, double lo, double hi, Interval unadjusted, Interval calibrated) {
        return new Estimate(200, beta, lo, hi, 1e-6, 100, unadjusted, calibrated,
                calibrated == null ? Double.NaN : 0.8, calibrated == null ? 0 : 20);
    }

    static String key(Planted p) {
        return Estimate.key(p.structure(), p.metric());
    }

    /** Segmented estimates; {@code calibrated}: give the structures calibrated slopes (kidney's covers, spine's not). */
    static Map<String, Estimate> segmented(boolean calibrated) {
        return Map.of(
                // raw misses the truth (-0.41), calibrated covers it
                key(KIDNEY), est(-0.30, -0.36, -0.25, null, calibrated ? new Interval(-0.39, -0.48, -0.30) : null),
                // raw covers the truth (-2.2), calibrated misses it
                key(SPINE), est(-2.05, -2.30, -1.80, new Interval(-2.6, -2.8, -2.4),
                        calibrated ? new Interval(-1.5, -1.7, -1.3) : null),
                // phase-adjusted covers truth and planted; unadjusted (older = more native) misses both
                key(TRABECULAR), est(-2.45, -2.70, -2.20, new Interval(-3.20, -3.45, -2.95), null),
                key(LIVER), est(0.02, -0.10, 0.14, new Interval(-0.60, -0.70, -0.50), null));
    }

    static Map<String, Estimate> truth() {
        return Map.of(key(KIDNEY), new Estimate(200, -0.41, -0.5, -0.3, 1e-9, 110),
                key(SPINE), new Estimate(200, -2.2, -2.4, -2.0, 1e-9, Double.NaN),
                key(TRABECULAR), new Estimate(200, -2.55, -2.7, -2.4, 1e-9, Double.NaN, new Interval(-3.3, -3.5, -3.1),
                        null, Double.NaN, 0),
                key(LIVER), new Estimate(200, 0.01, -0.05, 0.07, 0.7, Double.NaN));
    }

    @Test
    void countsCoverageOfTruthPlantedUnadjustedAndCalibrated() {
        PlantedComparison c = new PlantedComparison(PLANTED, segmented(true), truth());
        Map<Planted, Comparison> rows = byPlanted(c);
        assertFalse(rows.get(KIDNEY).coversTruth());
        assertEquals(Boolean.TRUE, rows.get(KIDNEY).calibratedCoversTruth());
        assertNull(rows.get(KIDNEY).coversPlanted(), "a volume's planted slope is in %/yr, not the CI's ml/yr");
        assertTrue(rows.get(SPINE).coversTruth());
        assertEquals(Boolean.FALSE, rows.get(SPINE).calibratedCoversTruth());
        assertEquals(Boolean.TRUE, rows.get(SPINE).coversPlanted());
        assertTrue(rows.get(TRABECULAR).coversTruth());
        assertEquals(Boolean.TRUE, rows.get(TRABECULAR).coversPlanted());
        assertEquals(Boolean.FALSE, rows.get(TRABECULAR).unadjustedCoversTruth());
        assertEquals(Boolean.FALSE, rows.get(TRABECULAR).unadjustedCoversPlanted());
        assertFalse(rows.get(LIVER).signRight(), "a planted null effect has no sign to get right");
        assertEquals(Boolean.TRUE, rows.get(LIVER).coversPlanted());

        Verdict v = c.verdict();
        assertEquals(new Verdict(2, 2, 1, 2, 2, 1, 2, 1, 1, 2, 2, 2, 2), v);
        assertTrue(v.calibratedAll());
        assertFalse(v.structuresMet(), "1 of 2 calibrated intervals covers: below 90 %");
        assertTrue(v.biomarkersMet());
        assertFalse(v.passed());
        assertTrue(v.line().contains("calibrated 95% CI covers it for 1/2"), v.line());
        assertTrue(v.line().contains("the unadjusted CI misses both for 2/2"), v.line());
        assertFalse(v.line().contains("FAIL"));

        // A planted slope the adjusted CI misses and an unadjusted one that covers are counted as such.
        Map<String, Estimate> seg = new java.util.HashMap<>(segmented(true));
        seg.put(key(TRABECULAR), est(-3.0, -3.2, -2.8, new Interval(-2.5, -2.7, -2.3), null));
        Verdict worse = new PlantedComparison(PLANTED, seg, truth()).verdict();
        assertEquals(1, worse.biomarkerCovered());
        assertEquals(1, worse.biomarkerCoversPlanted());
        assertEquals(1, worse.unadjustedMisses());
        assertFalse(worse.biomarkersMet());
    }

    @Test
    void calibratedColumnsAbsentShowDashAndGoalReadOnRawIntervals() throws Exception {
        PlantedComparison c = new PlantedComparison(PLANTED, segmented(false), truth());
        Verdict v = c.verdict();
        assertEquals(0, v.calibrated());
        assertFalse(v.calibratedAll());
        assertTrue(v.line().contains("calibrated: - (no calibrated slopes in this run)"), v.line());
        for (Comparison row : c.rows()) {
            assertNull(row.calibratedCoversTruth(), row.planted().metric());
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            c.print(ps);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        String kidney = lines.stream().filter(l -> l.startsWith("kidney_left")).findFirst().orElseThrow();
        // no unadjusted fit (a volume), no calibrated slope, calibrated coverage: three "-" cells
        assertEquals(3, kidney.split("\\s+-(\\s|$)", -1).length - 1, kidney);
        String trabecular = lines.stream().filter(l -> l.contains("trabecular_hu")).findFirst().orElseThrow();
        assertTrue(trabecular.contains("-3.200 [-3.450, -2.950]"), trabecular);
        assertTrue(trabecular.contains(" -2.50 HU/yr "), trabecular);
        assertTrue(kidney.contains(" -0.45 %/yr "), kidney);
        assertTrue(trabecular.contains("-2.450 [-2.700, -2.200]"), trabecular);
        String liver = lines.stream().filter(l -> l.startsWith("liver")).findFirst().orElseThrow();
        assertTrue(liver.contains(" n/a "), liver);

        Path csv = tmp.resolve("planted.csv");
        c.writeCsv(csv);
        List<String> out = Files.readAllLines(csv);
        List<String> header = List.of(out.get(0).split(",", -1));
        assertEquals(PlantedComparison.CSV_HEADER, out.get(0));
        assertEquals(PLANTED.size() + 1, out.size());
        for (String line : out.subList(1, out.size())) {
            assertEquals(header.size(), line.split(",", -1).length, line);
        }
        List<String> kidneyRow = List.of(out.get(1).split(",", -1));
        assertEquals("", kidneyRow.get(header.indexOf("beta_calibrated")));
        assertEquals("", kidneyRow.get(header.indexOf("calibrated_ci_covers_truth")));
        assertEquals("structure", kidneyRow.get(header.indexOf("kind")));
        List<String> trabRow = List.of(out.get(3).split(",", -1));
        assertEquals("biomarker", trabRow.get(header.indexOf("kind")));
        assertEquals(-3.2, Double.parseDouble(trabRow.get(header.indexOf("beta_unadjusted"))), 1e-9);
        assertEquals(-3.3, Double.parseDouble(trabRow.get(header.indexOf("beta_truth_unadjusted"))), 1e-9);
        assertEquals("false", trabRow.get(header.indexOf("unadjusted_ci_covers_truth")));
        assertEquals("true", trabRow.get(header.indexOf("ci_covers_planted")));

        // With calibrated slopes the same row has them.
        Path withCal = tmp.resolve("cal.csv");
        new PlantedComparison(PLANTED, segmented(true), truth()).writeCsv(withCal);
        List<String> k = List.of(Files.readAllLines(withCal).get(1).split(",", -1));
        assertEquals(-0.39, Double.parseDouble(k.get(header.indexOf("beta_calibrated"))), 1e-9);
        assertEquals("20", k.get(header.indexOf("n_validation")));
        assertEquals("true", k.get(header.indexOf("calibrated_ci_covers_truth")));
    }

    @Test
    void readsUnadjustedAndCalibratedColumnsOnlyWherePresent() {
        SparkSession spark = TestSpark.get();
        Dataset<Row> passed = spark.sql("SELECT 'liver' AS structure, 50.0 AS age, 'F' AS sex, 1.0 AS volume_ml,"
                + " 60.0 AS hu_mean");
        Dataset<Row> bare = spark.sql("SELECT 'liver' AS structure, 'liver_hu' AS metric, 'all' AS stratum, "
                + "CAST(120 AS BIGINT) AS n, 0.1 AS beta_age, -0.1 AS ci_low, 0.3 AS ci_high, 0.4 AS p_age");
        Estimate e = Estimate.of(bare, passed).get(Estimate.key("liver", "liver_hu"));
        assertNotNull(e);
        assertEquals(0.1, e.beta(), 1e-12);
        assertNull(e.unadjusted());
        assertNull(e.calibrated());
        assertTrue(Double.isNaN(e.levelAt50()), "a biomarker has no level at 50");

        Dataset<Row> full = spark.sql("SELECT 'liver' AS structure, 'liver_hu' AS metric, 'all' AS stratum, "
                + "CAST(120 AS BIGINT) AS n, 0.1 AS beta_age, -0.1 AS ci_low, 0.3 AS ci_high, 0.4 AS p_age, "
                + "'all' AS phase, -0.6 AS beta_age_unadjusted, -0.7 AS ci_low_unadjusted, -0.5 AS ci_high_unadjusted, "
                + "CAST(NULL AS DOUBLE) AS beta_age_calibrated, CAST(NULL AS DOUBLE) AS ci_low_calibrated, "
                + "CAST(NULL AS DOUBLE) AS ci_high_calibrated, CAST(NULL AS DOUBLE) AS calibration_slope, "
                + "CAST(NULL AS BIGINT) AS n_validation "
                + "UNION ALL SELECT 'liver', 'liver_hu', 'all', 40, 9.0, 8.0, 10.0, 0.1, 'native', NULL, NULL, NULL, "
                + "NULL, NULL, NULL, NULL, NULL "
                + "UNION ALL SELECT 'liver', 'volume_ml', 'all', 120, -2.0, -3.0, -1.0, 0.01, 'all', NULL, NULL, NULL, "
                + "-2.5, -3.8, -1.2, 0.8, 20");
        Map<String, Estimate> read = Estimate.of(full, passed);
        Estimate hu = read.get(Estimate.key("liver", "liver_hu"));
        assertEquals(0.1, hu.beta(), 1e-12, "the pooled (phase all) row, not a per-phase one");
        assertEquals(new Interval(-0.6, -0.7, -0.5), hu.unadjusted());
        assertNull(hu.calibrated(), "null calibrated columns: no calibrated slope");
        Estimate vol = read.get(Estimate.key("liver", "volume_ml"));
        assertEquals(new Interval(-2.5, -3.8, -1.2), vol.calibrated());
        assertEquals(0.8, vol.calibrationSlope(), 1e-12);
        assertEquals(20, vol.nValidation());
        assertEquals(1.0 - (-2.0) * (50 - 50), vol.levelAt50(), 1e-12);
    }

    private static Map<Planted, Comparison> byPlanted(PlantedComparison c) {
        Map<Planted, Comparison> m = new java.util.HashMap<>();
        c.rows().forEach(r -> m.put(r.planted(), r));
        return m;
    }
}
