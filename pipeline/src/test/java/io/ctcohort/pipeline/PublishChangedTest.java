package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.publish.ExamBucket;
import io.ctcohort.pipeline.publish.RunLedger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run writes only what changed: on 1,000 tiny exams (hundreds of buckets) a full {@code measure} run,
 * then one with 1 % of the CTs rewritten, writes at most 5 % of the full run's table bytes (counting the
 * files it wrote, not those it hard-linked from the previous run); every key is there once, read by Spark
 * and by DuckDB; the unchanged exams' rows are the previous run's, the changed exams' are new. Then
 * removed, added and re-described exams, with every older run pruned (the hard links outlive it), and a
 * no-op re-run that writes no bucket file at all.
 */
class PublishChangedTest {
    private static final int EXAMS = 1000;
    private static final int STRUCTURES = 5;
    private static final int SIDE = 12;
    private static final Pattern WROTE = Pattern.compile("publish: (\\d+) buckets; wrote (\\d+) bytes");

    @TempDir
    Path tmp;

    @Test
    void aOnePercentChangedRunWritesAtMostFivePercentOfAFullRun() throws Exception {
        SparkSession spark = TestSpark.get();
        Path labels = labelTable(tmp.resolve("labels.tsv"));
        byte[] mask = encode(maskVolume());
        List<byte[]> cts = new java.util.ArrayList<>();
        for (int v = 0; v < 7; v++) {
            cts.add(encode(ct(v)));
        }
        for (int i = 0; i < EXAMS; i++) {
            Files.write(image(i), cts.get(i % 7));
            Files.write(maskFile(i), mask);
        }
        Path manifest = tmp.resolve("manifest.csv");
        writeManifest(manifest, EXAMS, Set.of(), Map.of());
        Path out = tmp.resolve("out");
        MeasureAnalyzer analyzer = new MeasureAnalyzer(LabelMap.fromTsv(labels), "masks:tiny");

        // Full run.
        ByteArrayOutputStream log1 = new ByteArrayOutputStream();
        RunSummary full = run(spark, analyzer, manifest, out, 0, log1);
        assertEquals(EXAMS, full.ok());
        Path run1 = out.resolve("runs").resolve(full.runId());
        Map<Object, Long> run1Files = files(run1);
        long fullBytes = run1Files.values().stream().mapToLong(Long::longValue).sum();
        int buckets = reportedBuckets(log1);
        assertTrue(buckets >= 200, "many buckets: " + buckets);
        assertEquals(fullBytes, reportedBytes(log1), "the job reports what it wrote");
        try (Stream<Path> s = Files.list(run1.resolve("measurements"))) {
            assertTrue(s.filter(p -> p.toString().endsWith(".parquet")).count() > 100, "one file per bucket");
        }

        // 1 % of the CTs rewritten (every 100th exam): their measurements change.
        List<Integer> changed = Stream.iterate(0, i -> i < EXAMS, i -> i + 100).toList();
        for (int i : changed) {
            Files.write(image(i), encode(ct(100 + i)));
        }
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        RunSummary second = run(spark, analyzer, manifest, out, 0, log2);
        assertEquals(changed.size(), second.processed());
        assertEquals(EXAMS - changed.size(), second.carried());
        Path run2 = out.resolve("runs").resolve(second.runId());
        long written = newBytes(run1Files.keySet(), run2);
        assertEquals(written, reportedBytes(log2), "the job reports what it wrote");
        assertTrue(written <= 0.05 * fullBytes, String.format(Locale.ROOT,
                "1%% changed wrote %d bytes of table files, %.1f %% of the full run's %d", written,
                100.0 * written / fullBytes, fullBytes));
        assertTrue(written > 0);
        System.out.printf(Locale.ROOT, "publish figures: %d exams, %d buckets: full run wrote %d bytes of table files,"
                + " 1%% changed %d (%.1f %%)%n", EXAMS, buckets, fullBytes, written, 100.0 * written / fullBytes);
        assertExactlyOnce(spark, run2, EXAMS);

        // Unchanged exams: the very same rows; changed exams: new measurements.
        Set<String> changedIds = new HashSet<>();
        changed.forEach(i -> changedIds.add(id(i)));
        for (String table : List.of("exams", "measurements")) {
            Dataset<Row> a = unchanged(spark.read().parquet(run1 + "/" + table), changedIds);
            Dataset<Row> b = unchanged(spark.read().parquet(run2 + "/" + table), changedIds);
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), table);
            assertEquals(a.count(), b.count(), table);
        }
        Map<String, Double> before = huByKey(spark, run1, changedIds);
        Map<String, Double> after = huByKey(spark, run2, changedIds);
        assertEquals(changedIds.size() * STRUCTURES, after.size());
        assertNotEquals(before, after, "the changed exams' rows are this run's");
        assertEquals(List.of(MeasurementsTable.SCHEMA.fieldNames()),
                List.of(spark.read().parquet(run2 + "/measurements").columns()), "no partition column appears");

        // Removed (3), added (2) and re-described (one age corrected) exams, older runs pruned.
        for (int i = EXAMS; i < EXAMS + 2; i++) {
            Files.write(image(i), cts.get(i % 7));
            Files.write(maskFile(i), mask);
        }
        writeManifest(manifest, EXAMS + 2, Set.of(5, 6, 7), Map.of(11, 99));
        ByteArrayOutputStream log3 = new ByteArrayOutputStream();
        RunSummary third = run(spark, analyzer, manifest, out, 1, log3);
        assertEquals(2, third.processed());
        Path run3 = out.resolve("runs").resolve(third.runId());
        assertFalse(Files.exists(run1) || Files.exists(run2), "older runs pruned");
        assertExactlyOnce(spark, run3, EXAMS - 1);
        for (String table : List.of("exams", "measurements")) {
            assertEquals(0, spark.read().parquet(run3 + "/" + table)
                    .filter("exam_id in ('" + id(5) + "','" + id(6) + "','" + id(7) + "')").count(), table);
        }
        assertEquals(99L, ((Number) spark.read().parquet(run3 + "/exams").filter("exam_id = '" + id(11) + "'")
                .first().getAs("age")).longValue());
        assertEquals(STRUCTURES, spark.read().parquet(run3 + "/measurements")
                .filter("exam_id = '" + id(EXAMS + 1) + "'").count());

        // No-op: every bucket file and the ledger are the previous run's, linked.
        Map<Object, Long> run3Files = files(run3);
        RunSummary noop = run(spark, analyzer, manifest, out, 0, new ByteArrayOutputStream());
        assertEquals(0, noop.processed());
        Path run4 = out.resolve("runs").resolve(noop.runId());
        try (Stream<Path> s = Files.walk(run4)) {
            for (Path p : s.filter(p -> ExamBucket.bucketOf(p.getFileName().toString()).isPresent()
                    || p.getParent().getFileName().toString().equals(RunLedger.FOLDER)
                    && p.getFileName().toString().endsWith(".parquet")).toList()) {
                assertTrue(run3Files.containsKey(Files.readAttributes(p,
                        java.nio.file.attribute.BasicFileAttributes.class).fileKey()), "linked, not written: " + p);
            }
        }
        try (Stream<Path> s = Files.list(run4.resolve(RunLedger.FOLDER))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")), "the no-op run has a ledger");
        }
        assertEquals(EXAMS - 1, noop.ok(), "the summary, counted from the carried ledger");
        assertExactlyOnce(spark, run4, EXAMS - 1);
    }

    /** Labels 1..STRUCTURES named structure_1 ... at {@code tsv}. */
    private static Path labelTable(Path tsv) throws IOException {
        StringBuilder rows = new StringBuilder("label\tstructure\n");
        for (int l = 1; l <= STRUCTURES; l++) {
            rows.append(l).append("\tstructure_").append(l).append('\n');
        }
        return Files.writeString(tsv, rows);
    }

    private static RunSummary run(SparkSession spark, MeasureAnalyzer analyzer, Path manifest, Path out, int keep,
                                  ByteArrayOutputStream log) throws IOException {
        PrintStream err = new PrintStream(log, true, StandardCharsets.UTF_8);
        return new CohortJob(spark, analyzer, new CohortJob.Options(manifest.toString(), out.toString(), true, keep,
                false, 1), err).run();
    }

    /** Every key once in each table, by Spark and by DuckDB. */
    private static void assertExactlyOnce(SparkSession spark, Path run, long exams) throws Exception {
        Dataset<Row> e = spark.read().parquet(run + "/exams");
        Dataset<Row> m = spark.read().parquet(run + "/measurements");
        assertEquals(exams, e.count());
        assertEquals(exams, e.select("exam_id", "model_id").distinct().count());
        assertEquals(exams * STRUCTURES, m.count());
        assertEquals(exams * STRUCTURES, m.select("exam_id", "structure", "model_id").distinct().count());
        assertEquals(0, spark.read().parquet(run + "/biomarkers").count());
        assertEquals(0, spark.read().parquet(run + "/validation").count());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT exam_id) FROM read_parquet('" + run
                    + "/exams/*.parquet')");
            rs.next();
            assertEquals(exams, rs.getLong(1));
            assertEquals(exams, rs.getLong(2));
            rs = st.executeQuery("SELECT count(*), count(DISTINCT exam_id || '/' || structure) FROM read_parquet('"
                    + run + "/measurements/*.parquet')");
            rs.next();
            assertEquals(exams * STRUCTURES, rs.getLong(1));
            assertEquals(exams * STRUCTURES, rs.getLong(2));
        }
    }

    private static Dataset<Row> unchanged(Dataset<Row> table, Set<String> changed) {
        return table.filter(org.apache.spark.sql.functions.not(org.apache.spark.sql.functions.col("exam_id")
                .isin(changed.toArray())));
    }

    private static Map<String, Double> huByKey(SparkSession spark, Path run, Set<String> ids) {
        Map<String, Double> hu = new HashMap<>();
        for (Row r : spark.read().parquet(run + "/measurements")
                .filter(org.apache.spark.sql.functions.col("exam_id").isin(ids.toArray())).collectAsList()) {
            hu.put(r.getAs("exam_id") + "/" + r.getAs("structure"), r.getAs("hu_mean"));
        }
        return hu;
    }

    /** The table files of a run folder by file key (inode): a hard link has its source's key. */
    private static Map<Object, Long> files(Path run) throws IOException {
        Map<Object, Long> files = new HashMap<>();
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                files.put(a.fileKey(), a.size());
            }
        }
        return files;
    }

    /** Bytes of the table files in {@code run} that are not links to files of the earlier run. */
    private static long newBytes(Set<Object> earlier, Path run) throws IOException {
        long bytes = 0;
        for (Map.Entry<Object, Long> f : files(run).entrySet()) {
            if (!earlier.contains(f.getKey())) {
                bytes += f.getValue();
            }
        }
        return bytes;
    }

    private static long reportedBytes(ByteArrayOutputStream log) {
        Matcher m = WROTE.matcher(log.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), log.toString(StandardCharsets.UTF_8));
        return Long.parseLong(m.group(2));
    }

    private static int reportedBuckets(ByteArrayOutputStream log) {
        Matcher m = WROTE.matcher(log.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), log.toString(StandardCharsets.UTF_8));
        return Integer.parseInt(m.group(1));
    }

    private void writeManifest(Path manifest, int n, Set<Integer> removed, Map<Integer, Integer> ages)
            throws IOException {
        StringBuilder csv = new StringBuilder("exam_id,image_uri,mask_uri,age,sex\n");
        for (int i = 0; i < n; i++) {
            if (!removed.contains(i)) {
                csv.append(id(i)).append(',').append(image(i)).append(',').append(maskFile(i)).append(',')
                        .append(ages.getOrDefault(i, 20 + i % 60)).append(',').append(i % 2 == 0 ? "F" : "M")
                        .append('\n');
            }
        }
        Files.writeString(manifest, csv);
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "ex%05d", i);
    }

    private Path image(int i) throws IOException {
        return Files.createDirectories(tmp.resolve("ct")).resolve(id(i) + ".nii.gz");
    }

    private Path maskFile(int i) throws IOException {
        return Files.createDirectories(tmp.resolve("mask")).resolve(id(i) + ".nii.gz");
    }

    private static Geometry grid() {
        return Geometry.axisAligned(SIDE, SIDE, SIDE, 2.0, 2.0, 2.0);
    }

    private static CtVolume ct(int seed) {
        CtVolume ct = CtVolume.allocate(grid());
        Random r = new Random(seed);
        short[] hu = ct.hu();
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (-100 + r.nextInt(400));
        }
        return ct;
    }

    /** One box per structure. */
    private static LabelVolume maskVolume() {
        byte[] labels = new byte[SIDE * SIDE * SIDE];
        Geometry g = grid();
        for (int l = 1; l <= STRUCTURES; l++) {
            for (int z = 2; z < 10; z++) {
                for (int y = 2; y < 10; y++) {
                    for (int x = 2 * l - 1; x < 2 * l + 1; x++) {
                        labels[g.index(x, y, z)] = (byte) l;
                    }
                }
            }
        }
        return LabelVolume.ofUInt8(g, labels);
    }

    private static byte[] encode(Object volume) throws IOException {
        Path f = Files.createTempFile("ctcohort-publish-", ".nii.gz");
        try {
            if (volume instanceof CtVolume ct) {
                NiftiWriter.write(ct, f);
            } else {
                NiftiWriter.write((LabelVolume) volume, f);
            }
            return Files.readAllBytes(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
