package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.job.CohortJob;
import io.ctcohort.pipeline.job.RunSummary;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive made of the reference DICOM series (example_ct in every transfer syntax, and a study
 * with a localizer, the soft-tissue series and a lung-kernel series), with a corrupt file and
 * non-DICOM files beside them: catalog it, segment the manifest it writes, and hold the
 * measurements of every DICOM exam against the same CT read from example_ct.nii.gz. The patient
 * name planted in every reference file must appear in no output and no log line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DicomArchiveTest {
    private static final String PLANTED_NAME = "SECRET";
    @TempDir
    static Path tmp;
    static Path reference;
    static Path archive;
    static Path catalogOut;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static final PrintStream LOG_STREAM = new PrintStream(LOG, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void archive() throws IOException {
        Path ref = Paths.get(System.getProperty("ctcohort.reference", "../../shared/reference")).resolve("dicom");
        Assumptions.assumeTrue(Files.isDirectory(ref), "reference data absent: " + ref.toAbsolutePath());
        reference = ref;
        archive = tmp.resolve("archive");
        copyTree(ref, archive);
        // A corrupt DICOM file in a folder of its own, and files that are not DICOM at all.
        Path broken = Files.createDirectories(archive.resolve("broken"));
        byte[] slice = Files.readAllBytes(firstFile(ref.resolve("explicit_le_int16")));
        Files.write(broken.resolve("cut.dcm"), java.util.Arrays.copyOf(slice, 300));
        Files.writeString(archive.resolve("README.txt"), "export of 2025-04-16\n");
        Files.createDirectories(archive.resolve("empty"));
        catalogOut = tmp.resolve("catalog");
    }

    @Test
    @Order(1)
    void catalogListsEverySeriesAndChoosesTheSoftTissueSeries() throws Exception {
        CatalogJob.Summary s = new CatalogJob(TestSpark.get(), SelectionRules.DEFAULT, LOG_STREAM)
                .run(archive.toString(), catalogOut.toString());
        long dicomFiles;
        try (Stream<Path> files = Files.walk(reference)) {
            dicomFiles = files.filter(p -> Files.isRegularFile(p) && !p.toString().endsWith(".json")).count();
        }
        assertEquals(dicomFiles + 1, s.dicomFiles(), "every DICOM file, the corrupt one too");
        assertEquals(dicomFiles + 3, s.files(), "plus cases.json and README.txt");
        assertEquals(1, s.unreadable());
        assertEquals(10, s.series(), "seven single-series studies and a study of three series");
        assertEquals(8, s.studies());
        assertEquals(8, s.selected());

        JsonNode cases = new ObjectMapper().readTree(reference.resolve("cases.json").toFile());
        Map<String, Row> bySeries = new HashMap<>();
        List<Row> errors = new ArrayList<>();
        Dataset<Row> series = TestSpark.get().read().parquet(catalogOut.resolve(SeriesTable.NAME).toString());
        // the written table is the contract's, column for column (Spark decides nullability)
        assertEquals(columnTypes(SeriesTable.SCHEMA), columnTypes(series.schema()));
        for (Row r : series.collectAsList()) {
            if (r.getAs("error") != null) {
                errors.add(r);
            } else {
                bySeries.put(r.getAs("series_instance_uid"), r);
            }
        }
        assertEquals(1, errors.size());
        String error = errors.get(0).getAs("error");
        assertTrue(error.contains("cut.dcm") && error.contains("truncated"), error);

        Row chosen = bySeries.get(cases.get("study_three_series").get("series_uid").asText());
        assertTrue((boolean) chosen.getAs("selected"), "the soft-tissue series is the study's choice");
        assertEquals("soft", chosen.getAs("kernel_class"));
        assertEquals(112, (int) chosen.getAs("instance_count"));
        assertEquals(3.0, (double) chosen.getAs("slice_spacing"), 1e-6);
        assertEquals("axial", chosen.getAs("orientation"));
        assertEquals(63.0, (double) chosen.getAs("age"));
        assertEquals("CTC0001", chosen.getAs("patient_id"));
        assertEquals("M", chosen.getAs("sex"));
        assertEquals("2025-04-15", chosen.getAs("study_date"));
        String study = chosen.getAs("study_instance_uid");
        List<Row> siblings = bySeries.values().stream().filter(r -> study.equals(r.getAs("study_instance_uid"))).toList();
        assertEquals(3, siblings.size());
        for (Row r : siblings) {
            if (r != chosen) {
                assertFalse((boolean) r.getAs("selected"), (String) r.getAs("series_description"));
            }
        }
        for (var c : (Iterable<Map.Entry<String, JsonNode>>) cases::fields) {
            Row r = bySeries.get(c.getValue().get("series_uid").asText());
            assertNotNull(r, c.getKey());
            assertTrue((boolean) r.getAs("selected"), c.getKey());
            String folder = c.getKey().equals("study_three_series") ? c.getKey() + "/s2" : c.getKey();
            assertTrue(((String) r.getAs("image_uri")).endsWith("/" + folder + "#" + r.getAs("series_instance_uid")),
                    c.getKey() + " -> " + r.getAs("image_uri"));
        }
        List<String> manifest = Files.readAllLines(catalogOut.resolve("manifest.csv"));
        assertEquals(9, manifest.size(), "header and one row per study");
        assertTrue(manifest.get(0).startsWith("exam_id,image_uri,patient_id,age,sex,study_date"), manifest.get(0));
    }

    @Test
    @Order(2)
    void segmentingTheManifestMeasuresWhatTheNiftiGives() throws Exception {
        Path examCt = reference.getParent().resolve("totalsegmentator").resolve("example_ct.nii.gz");
        Path manifest = tmp.resolve("manifest.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(catalogOut.resolve("manifest.csv")));
        String header = lines.get(0);
        int columns = header.split(",", -1).length;
        lines.add(row(columns, "NIFTI", examCt.toUri().toString()));
        // Bad DICOM exams: a truncated slice, a missing slice, a folder without DICOM.
        Path truncated = copyTree(reference.resolve("explicit_le_int16"), tmp.resolve("bad/truncated"));
        Path victim = firstFile(truncated);
        byte[] b = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(b, b.length - 100));
        Path gap = copyTree(reference.resolve("implicit_le_uint16"), tmp.resolve("bad/gap"));
        Files.delete(gap.resolve("IM00050"));
        lines.add(row(columns, "BAD_TRUNCATED", truncated.toUri().toString()));
        lines.add(row(columns, "BAD_GAP", gap.toUri().toString()));
        lines.add(row(columns, "BAD_EMPTY", archive.resolve("empty").toUri().toString()));
        Files.write(manifest, lines);

        SparkSession spark = TestSpark.get();
        Path out = tmp.resolve("out");
        // Inside the custodian's walls: the catalog kept the archive's UIDs, and so does this run.
        RunSummary s = new CohortJob(spark, TestModels.analyzer(), new CohortJob.Options(manifest.toString(),
                out.toString(), false, 0, false, 1), Deidentification.KEEP, LOG_STREAM).run();
        assertEquals(12, s.exams());
        assertEquals(9, s.ok());
        assertEquals(3, s.failed());

        Path run = out.resolve("runs").resolve(s.runId());
        Map<String, Row> exams = new HashMap<>();
        for (Row r : spark.read().parquet(run.resolve("exams").toString()).collectAsList()) {
            exams.put(r.getAs("exam_id"), r);
        }
        // Messages name files inside the exam's image, never the archive's folders.
        assertFailed(exams.get("BAD_TRUNCATED"), "TRUNCATED", "<image>/" + victim.getFileName());
        assertFailed(exams.get("BAD_GAP"), "SLICE_INCREMENT_INCONSISTENT", "<image>");
        assertFailed(exams.get("BAD_EMPTY"), "NO_DICOM_FILES", "<image>");

        Map<String, List<String>> measurements = new HashMap<>();
        for (Row r : spark.read().parquet(run.resolve("measurements").toString())
                .orderBy("structure").collectAsList()) {
            measurements.computeIfAbsent(r.getAs("exam_id"), k -> new ArrayList<>()).add(r.getAs("structure") + " "
                    + r.getAs("voxel_count") + " " + r.getAs("volume_ml") + " " + r.getAs("hu_mean") + " "
                    + r.getAs("hu_p95"));
        }
        List<String> nifti = measurements.get("NIFTI");
        assertTrue(nifti.stream().anyMatch(l -> !l.contains(" 0 ")), "the model finds structures");
        int dicomExams = 0;
        for (Row e : exams.values()) {
            String id = e.getAs("exam_id");
            if (id.equals("NIFTI") || id.startsWith("BAD_")) {
                continue;
            }
            assertEquals("ok", e.getAs("status"), id + ": " + e.getAs("error_message"));
            assertEquals(63.0, (double) e.getAs("age"));
            assertEquals(nifti, measurements.get(id), id + " measures as the NIfTI");
            dicomExams++;
        }
        assertEquals(8, dicomExams);
        assertNoPlantedName(catalogOut);
        assertNoPlantedName(out);
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("catalog:"), log);
        assertFalse(log.contains(PLANTED_NAME), "a patient name reached the log");
    }

    private static void assertFailed(Row r, String code, String names) {
        assertEquals("failed", r.getAs("status"));
        assertTrue(((String) r.getAs("error_class")).endsWith(":" + code), (String) r.getAs("error_class"));
        String message = r.getAs("error_message");
        assertTrue(message.contains(names), message);
        assertFalse(message.contains(PLANTED_NAME), message);
        assertFalse(message.contains(tmp.toString()), "no path in a shared table: " + message);
    }

    /** Every byte of every file under {@code dir} (Parquet, CSV, JSON) is free of the planted name. */
    private static void assertNoPlantedName(Path dir) throws IOException {
        byte[] needle = PLANTED_NAME.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(new String(needle, StandardCharsets.ISO_8859_1)), p + " holds a patient name");
            }
        }
    }

    private static String row(int columns, String examId, String uri) {
        StringBuilder sb = new StringBuilder(examId).append(',').append(uri);
        for (int i = 2; i < columns; i++) {
            sb.append(i == 3 ? ",63" : ",");
        }
        return sb.toString();
    }

    private static Path firstFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    private static List<String> columnTypes(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
    }
}
