package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.analytics.AnalyzeJob;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.engine.dicom.DicomSeriesWriter;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Series;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Study;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Reorientation;
import io.ctcohort.engine.phantom.PhantomExam;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.manifest.Manifest;
import io.ctcohort.pipeline.manifest.ManifestReader;
import io.ctcohort.pipeline.privacy.DatePolicy;
import io.ctcohort.pipeline.privacy.Deidentification;
import io.ctcohort.pipeline.privacy.ManifestPseudonyms;
import io.ctcohort.pipeline.privacy.Pseudonyms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak test of de-identification: a DICOM archive written with the project's own writer, carrying
 * planted identifiers (names, MRNs, accession numbers, referring physician, institution, birth and
 * study dates, UIDs, folders named after the patient, a patient of 93), goes through catalog (with a
 * pseudonym key), segment (local Spark, the bundled demo model) and analyze with a report. No
 * planted string may appear in any string column of any Parquet table of the run, in any report
 * file, or in the captured logs (the jobs' own lines and everything log4j prints at INFO); the age
 * over 89 is 90; one key gives the same pseudonyms twice and another key others; the catalog's own
 * tables hold no names; the shift keeps the interval between one patient's exams.
 */
class PrivacyLeakTest {
    /** Two studies of patient 0 (93 years old), one study each of patients 1-3. */
    private static final int[] PATIENT_OF_STUDY = {0, 0, 1, 2, 3};
    private static final String[][] PATIENTS = {
        {"KOWALCZYK^ANNA", "Kowalczyk_Anna", "MRN7741230"},
        {"OYELARAN^BABATUNDE", "Oyelaran_Babatunde", "MRN7741231"},
        {"HALVORSEN^INGRID", "Halvorsen_Ingrid", "MRN7741232"},
        {"MCALLISTER^DUNCAN", "McAllister_Duncan", "MRN7741233"},
    };
    private static final LocalDate[] BIRTH = {LocalDate.of(1923, 2, 17), LocalDate.of(1957, 8, 29),
        LocalDate.of(1949, 11, 3), LocalDate.of(1968, 1, 26)};
    /** Study dates more than two years apart between patients (a shift of at most a year cannot land on another). */
    private static final LocalDate[] STUDY_DATE = {LocalDate.of(2016, 5, 9), LocalDate.of(2017, 6, 21),
        LocalDate.of(2020, 3, 7), LocalDate.of(2022, 10, 13), LocalDate.of(2025, 1, 30)};

    @TempDir
    Path tmp;

    record Archive(Path root, Set<String> planted, Map<Integer, String> studyUid, Map<Integer, String> seriesUid) {
    }

    @Test
    void nothingPlantedReachesTheRunTablesTheReportOrTheLogs() throws Exception {
        SparkSession spark = TestSpark.get();
        Archive archive = writeArchive(tmp.resolve("pacs-export"));
        ByteArrayOutputStream jobLog = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(jobLog, true, StandardCharsets.UTF_8);
        StringWriter log4j = new StringWriter();
        Path key = tmp.resolve("custodian/pseudonym.key");
        Path catalogOut = tmp.resolve("catalog");
        Path linkage = tmp.resolve("custodian/linkage");
        Path out = tmp.resolve("out");
        Path report = tmp.resolve("report");
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();

        Deidentification deid = Deidentification.forCatalog(key.toString(), false, null, conf, log);
        try (Capture ignored = Capture.log4j(log4j)) {
            CatalogJob.Summary c = new CatalogJob(spark, SelectionRules.DEFAULT, deid, linkage.toString(), log)
                    .run(archive.root().toString(), catalogOut.toString());
            assertEquals(PATIENT_OF_STUDY.length, c.selected());
            RunSummary s = new CohortJob(spark, TestModels.analyzer(), new CohortJob.Options(
                    catalogOut.resolve("manifest.csv").toString(), out.toString(), false, 0, false, 1), log).run();
            assertEquals(PATIENT_OF_STUDY.length, s.ok());
            AnalyzeJob.run(spark, out.toString(), null, report, StudyOptions.defaults());
        }
        Set<String> planted = archive.planted();
        jobLog.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("timings") || l.contains("catalog: "))
                .forEach(System.out::println);

        // The run's tables: every Parquet table of the run, every string column, every row.
        Path runs = out.resolve("runs");
        List<Path> tables = parquetTables(runs);
        assertTrue(tables.size() >= 4, "exams, measurements and the analytics tables: " + tables);
        for (Path t : tables) {
            assertNoPlanted(spark.read().parquet(t.toString()), planted, t.toString(), Set.of());
        }
        assertNoPlantedBytes(out, planted);
        // The report: every file (HTML, CSV; PNGs hold no text but are read all the same).
        assertTrue(Files.exists(report.resolve("index.html")));
        assertNoPlantedBytes(report, planted);
        // The logs.
        assertNoPlantedText(jobLog.toString(StandardCharsets.UTF_8), planted, "the jobs' log lines");
        String captured = log4j.toString();
        assertTrue(captured.contains("INFO"), "log4j output was captured at INFO");
        assertNoPlantedText(captured, planted, "log4j output");

        // The exams table: pseudonyms, a shifted date, the top-coded age, no image location.
        Path run = runs.resolve(Files.readString(out.resolve("LATEST")).strip());
        Dataset<Row> exams = spark.read().parquet(run.resolve("exams").toString());
        List<String> columns = List.of(exams.columns());
        assertFalse(columns.contains("image_uri") || columns.contains("series_description"), columns.toString());
        assertTrue(columns.contains("input_fingerprint"));
        Map<String, Row> byExam = new HashMap<>();
        for (Row r : exams.collectAsList()) {
            byExam.put(r.getAs("exam_id"), r);
            assertTrue(Pseudonyms.isPseudonym(Pseudonyms.Kind.EXAM, r.getAs("exam_id")), (String) r.getAs("exam_id"));
            assertTrue(Pseudonyms.isPseudonym(Pseudonyms.Kind.PATIENT, r.getAs("patient_id")));
            assertTrue(Pseudonyms.isPseudonym(Pseudonyms.Kind.SERIES, r.getAs("series_instance_uid")));
        }
        Pseudonyms p = deid.pseudonyms();
        Row first = byExam.get(p.of(Pseudonyms.Kind.EXAM, archive.studyUid().get(0)));
        Row second = byExam.get(p.of(Pseudonyms.Kind.EXAM, archive.studyUid().get(1)));
        assertEquals(90.0, (double) first.getAs("age"), "93 is recorded as 90");
        assertEquals(90.0, (double) second.getAs("age"));
        assertEquals((String) first.getAs("patient_id"), second.getAs("patient_id"), "one patient, one pseudonym");
        assertEquals(ChronoUnit.DAYS.between(STUDY_DATE[0], STUDY_DATE[1]), ChronoUnit.DAYS.between(
                LocalDate.parse(first.getAs("study_date")), LocalDate.parse(second.getAs("study_date"))),
                "the shift keeps the interval between one patient's exams");
        assertNotEquals(STUDY_DATE[0].toString(), first.getAs("study_date"));
        String success = Files.readString(run.resolve("_SUCCESS"));
        assertTrue(success.contains("\"identifiers\":\"as-given\""), success);

        // The catalog's own tables: no names, no originals outside image_uri (the custodian's locator).
        Set<String> names = new HashSet<>();
        for (String[] patient : PATIENTS) {
            names.add(patient[0]);
            names.add(patient[0].split("\\^")[0]);
        }
        Dataset<Row> series = spark.read().parquet(catalogOut.resolve(SeriesTable.NAME).toString());
        assertNoPlanted(series, planted, "series", Set.of("image_uri"));
        assertNoPlantedText(Files.readString(catalogOut.resolve("manifest.csv")).toUpperCase(java.util.Locale.ROOT)
                .replaceAll("FILE:[^,]*", ""), upper(planted), "the manifest outside image_uri");
        for (Path f : files(catalogOut)) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            for (String name : List.of(PATIENTS[0][0], PATIENTS[1][0], PATIENTS[2][0], PATIENTS[3][0])) {
                assertFalse(text.contains(name), f + " holds the patient name " + name);
            }
        }
        assertEquals(90.0, (double) series.filter("selected").orderBy("age").collectAsList()
                .get(PATIENT_OF_STUDY.length - 1).getAs("age"));

        // The linkage: outside OUT, pseudonym beside original, for the custodian alone.
        Row link = spark.read().parquet(linkage.toString())
                .filter(org.apache.spark.sql.functions.col("study_instance_uid").equalTo(archive.studyUid().get(2)))
                .first();
        assertEquals(PATIENTS[1][2], link.getAs("patient_id"));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(linkage)), "the linkage folder is its owner's alone");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(key)), "the key created by catalog is its owner's alone");
        assertEquals(p.of(Pseudonyms.Kind.PATIENT, PATIENTS[1][2]), link.getAs("patient_pseudonym"));
        assertEquals(p.of(Pseudonyms.Kind.EXAM, archive.studyUid().get(2)), link.getAs("exam_id"));
        CtCohortException inside = assertThrows(CtCohortException.class, () -> new CatalogJob(spark,
                SelectionRules.DEFAULT, deid, catalogOut.resolve("linkage").toString(), log)
                .run(archive.root().toString(), catalogOut.toString()));
        assertTrue(inside.getMessage().contains("inside the output folder"), inside.getMessage());

        // One key, the same pseudonyms on every run; another key, others.
        Set<String> again = ids(catalogWith(archive, key, tmp.resolve("catalog-again"), log));
        assertEquals(ids(series), again);
        Set<String> other = ids(catalogWith(archive, tmp.resolve("custodian/other.key"), tmp.resolve("catalog-other"),
                log));
        assertEquals(again.size(), other.size());
        Set<String> common = new HashSet<>(again);
        common.retainAll(other);
        assertTrue(common.isEmpty(), "another key shares no pseudonym: " + common);

        // A manifest written by hand with the originals: segment --pseudonym-key gives the catalog's pseudonyms.
        Path handWritten = tmp.resolve("nifti-manifest.csv");
        Files.writeString(handWritten, "exam_id,patient_id,image_uri,age,study_date\n"
                + archive.studyUid().get(1) + "," + PATIENTS[0][2] + ",ct.nii.gz,94," + STUDY_DATE[1] + "\n");
        Manifest m = ManifestPseudonyms.apply(new ManifestReader(List.of("exam_id", "image_uri"), Set.of())
                .read(spark, handWritten.toString()), deid);
        assertEquals(second.getAs("exam_id"), m.entries().get(0).examId());
        assertTrue(m.entries().get(0).imageUri().toString().endsWith(tmp.resolve("ct.nii.gz").toString()));
        assertEquals(List.of(second.getAs("patient_id"), "ct.nii.gz", 90.0,
                second.getAs("study_date")), List.of(m.entries().get(0).values()));
    }

    private Dataset<Row> catalogWith(Archive archive, Path key, Path catalogOut, PrintStream log) {
        SparkSession spark = TestSpark.get();
        Deidentification d = Deidentification.forCatalog(key.toString(), false, DatePolicy.YEAR,
                spark.sparkContext().hadoopConfiguration(), log);
        new CatalogJob(spark, SelectionRules.DEFAULT, d, null, log).run(archive.root().toString(),
                catalogOut.toString());
        return spark.read().parquet(catalogOut.resolve(SeriesTable.NAME).toString());
    }

    private static Set<String> ids(Dataset<Row> series) {
        Set<String> ids = new HashSet<>();
        for (Row r : series.select("patient_id", "study_instance_uid", "series_instance_uid").collectAsList()) {
            for (int i = 0; i < 3; i++) {
                ids.add(r.getString(i));
            }
        }
        return ids;
    }

    /** Five studies of four patients, each in a folder named after its patient, with every identifier planted. */
    private static Archive writeArchive(Path root) {
        PhantomGenerator generator = new PhantomGenerator(5);
        Set<String> planted = new LinkedHashSet<>();
        Map<Integer, String> studyUids = new HashMap<>();
        Map<Integer, String> seriesUids = new HashMap<>();
        for (int i = 0; i < PATIENT_OF_STUDY.length; i++) {
            int pi = PATIENT_OF_STUDY[i];
            String[] patient = PATIENTS[pi];
            PhantomExam e = generator.generate(i);
            CtVolume axial = Reorientation.toCanonical(e.ct().geometry()).apply(e.ct());
            int age = pi == 0 ? (int) ChronoUnit.YEARS.between(BIRTH[0], STUDY_DATE[i]) : e.demographics().age();
            String accession = "ACC5500" + i;
            String physician = "VANDERBILT^GREGORY" + pi;
            String institution = "SAINT PLANTED HOSPITAL " + pi;
            Study study = new Study("leak-" + i, patient[2], patient[0], e.demographics().sex(), age, BIRTH[pi],
                    STUDY_DATE[i], accession, "CT ABDOMEN", "CTCOHORT", "ABDOMEN", physician, institution);
            Path folder = root.resolve(patient[1] + "_" + patient[2]).resolve("study_" + i);
            DicomSeriesWriter.WrittenSeries w = DicomSeriesWriter.write(axial, study,
                    Series.axial(2, "ABDOMEN 3.0 B30f", "B30f"), folder);
            studyUids.put(i, study.studyInstanceUid());
            seriesUids.put(i, w.seriesInstanceUid());
            planted.addAll(List.of(patient[0], patient[0].split("\\^")[0], patient[0].split("\\^")[1], patient[1],
                    patient[2], accession, physician, physician.split("\\^")[0], institution,
                    BIRTH[pi].toString(), BIRTH[pi].toString().replace("-", ""), STUDY_DATE[i].toString(),
                    STUDY_DATE[i].toString().replace("-", ""), study.studyInstanceUid(), w.seriesInstanceUid(),
                    root.toString(), folder.toString()));
        }
        assertEquals(93, (int) ChronoUnit.YEARS.between(BIRTH[0], STUDY_DATE[0]));
        return new Archive(root, planted, studyUids, seriesUids);
    }

    private static void assertNoPlanted(Dataset<Row> table, Set<String> planted, String where, Set<String> except) {
        List<String> strings = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            if (f.dataType().equals(DataTypes.StringType) && !except.contains(f.name())) {
                strings.add(f.name());
            }
        }
        if (strings.isEmpty()) {
            return;
        }
        for (Row r : table.selectExpr(strings.toArray(String[]::new)).collectAsList()) {
            for (int i = 0; i < strings.size(); i++) {
                String v = r.getString(i);
                if (v == null) {
                    continue;
                }
                for (String s : planted) {
                    assertFalse(v.toUpperCase(java.util.Locale.ROOT).contains(s.toUpperCase(java.util.Locale.ROOT)),
                            where + "." + strings.get(i) + " holds planted '" + s + "': " + v);
                }
            }
        }
    }

    private static void assertNoPlantedBytes(Path dir, Set<String> planted) throws IOException {
        for (Path f : files(dir)) {
            assertNoPlantedText(Files.readString(f, StandardCharsets.ISO_8859_1), planted, f.toString());
        }
    }

    private static void assertNoPlantedText(String text, Set<String> planted, String where) {
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        for (String s : planted) {
            assertFalse(upper.contains(s.toUpperCase(java.util.Locale.ROOT)), where + " holds planted '" + s + "'");
        }
    }

    private static Set<String> upper(Set<String> planted) {
        Set<String> u = new HashSet<>();
        planted.forEach(s -> u.add(s.toUpperCase(java.util.Locale.ROOT)));
        return u;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** Every folder under {@code runs} that holds Parquet files directly: one per table. */
    private static List<Path> parquetTables(Path runs) throws IOException {
        Set<Path> tables = new LinkedHashSet<>();
        for (Path f : files(runs)) {
            if (f.getFileName().toString().endsWith(".parquet")) {
                tables.add(f.getParent());
            }
        }
        return new ArrayList<>(tables);
    }

    /** Everything log4j prints, at INFO and above, into a writer; the previous root appenders and level come back on close. */
    static final class Capture implements AutoCloseable {
        private final LoggerContext ctx;
        private final LoggerConfig root;
        private final Level level;
        private final Map<String, Appender> appenders;
        private final Appender appender;

        private Capture(StringWriter sink) {
            ctx = (LoggerContext) LogManager.getContext(false);
            Configuration config = ctx.getConfiguration();
            root = config.getRootLogger();
            level = root.getLevel();
            appenders = new HashMap<>(root.getAppenders());
            appender = WriterAppender.newBuilder().setName("privacy-leak-test").setTarget(sink)
                    .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
            appender.start();
            appenders.keySet().forEach(root::removeAppender);
            root.addAppender(appender, Level.INFO, null);
            root.setLevel(Level.INFO);
            ctx.updateLoggers();
        }

        static Capture log4j(StringWriter sink) {
            return new Capture(sink);
        }

        @Override
        public void close() {
            root.removeAppender(appender.getName());
            appenders.values().forEach(a -> root.addAppender(a, null, null));
            root.setLevel(level);
            ctx.updateLoggers();
            appender.stop();
        }
    }
}
