package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.engine.dicom.DicomSeriesWriter;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Series;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Study;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.privacy.Deidentification;
import io.ctcohort.pipeline.privacy.Pseudonyms.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code catalog --incremental} on a small archive written with the project's DicomSeriesWriter,
 * one folder per study: a re-run reads headers only in new and changed folders (files of unchanged
 * folders are overwritten with garbage of the same size and mtime, which only a re-read would see),
 * carries the other series rows over as they were, drops removed studies, chooses again, keeps
 * the exam ids, and survives a run SIGKILLed while reading headers and one that died before publishing.
 */
class CatalogIncrementalTest {
    private static final CatalogJob.Incremental INCREMENTAL =
            new CatalogJob.Incremental(1, new LockPolicy(Duration.ofSeconds(120), false));
    /** Waits for a killed holder's lock to go silent (3 s, as the child was told), then takes it over. */
    private static final CatalogJob.Incremental TAKE_OVER = new CatalogJob.Incremental(1,
            new LockPolicy(Duration.ofSeconds(3), true));
    /** Every study has a soft-tissue series; study 2 gets a lung series later, which must not be chosen. */
    private static final Series SOFT = Series.axial(2, "ABDOMEN 3.0 B30f", "B30f");
    private static final Series LUNG = Series.axial(3, "THORAX 3.0 B60f", "B60f");

    @TempDir
    Path tmp;

    private static Study study(int i) {
        return new Study("inc" + i, "PID-" + i, "NAME^" + i, i % 2 == 0 ? "F" : "M", 40 + i, null,
                LocalDate.of(2025, 3, 1 + i), "ACC-" + i, "CT ABDOMEN", "CTCOHORT", "ABDOMEN");
    }

    private static void writeStudy(Path archive, int i, Series series) {
        DicomSeriesWriter.write(TestCohort.ct(100 + i * 10L + series.number(), i), study(i), series,
                archive.resolve("study" + i).resolve("s" + series.number()));
    }

    /** Studies from..to-1, each with its soft-tissue series, written into tmp/archive (returned). */
    private Path addSoftStudies(int from, int to) {
        Path archive = tmp.resolve("archive");
        for (int i = from; i < to; i++) {
            writeStudy(archive, i, SOFT);
        }
        return archive;
    }

    private Deidentification deidentification() {
        return Deidentification.forCatalog(tmp.resolve("ctcohort.key").toString(), false, null,
                TestSpark.get().sparkContext().hadoopConfiguration(), System.err);
    }

    private CatalogJob.Summary catalog(Path archive, Path out) {
        return catalog(archive, out, INCREMENTAL);
    }

    private CatalogJob.Summary catalog(Path archive, Path out, CatalogJob.Incremental options) {
        return new CatalogJob(TestSpark.get(), SelectionRules.DEFAULT, deidentification(), null, System.err)
                .runIncremental(archive.toString(), out.toString(), options);
    }

    @Test
    void rerunReadsOnlyNewAndChangedFoldersAndCarriesTheRest() throws Exception {
        Path archive = addSoftStudies(0, 6);
        Path out = tmp.resolve("catalog");
        long t1 = System.nanoTime();
        CatalogJob.Summary first = catalog(archive, out);
        double firstSeconds = (System.nanoTime() - t1) / 1e9;
        assertEquals(6, first.foldersRead());
        assertEquals(filesUnder(archive), first.files(), "first run reads every header");
        Map<String, Row> run1 = seriesBySeriesId(out);
        assertEquals(6, run1.size());
        Map<String, String> manifest1 = manifest(out);

        // Unchanged studies 3-5: garbage of the same size with the same mtime, invisible to a listing.
        for (int i = 3; i < 6; i++) {
            garble(archive.resolve("study" + i));
        }
        deleteTree(archive.resolve("study0"));
        deleteTree(archive.resolve("study1"));
        writeStudy(archive, 2, LUNG);
        addSoftStudies(6, 9);
        long filesToRead = filesUnder(archive.resolve("study2"));
        for (int i = 6; i < 9; i++) {
            filesToRead += filesUnder(archive.resolve("study" + i));
        }

        long t2 = System.nanoTime();
        CatalogJob.Summary second = catalog(archive, out);
        double secondSeconds = (System.nanoTime() - t2) / 1e9;
        assertEquals(7, second.folders());
        assertEquals(4, second.foldersRead(), "study2 (changed) and three new studies");
        assertEquals(2, second.foldersGone());
        assertEquals(filesToRead, second.files(), "headers read only in new and changed folders");
        assertEquals(0, second.unreadable());
        assertEquals(3, second.seriesCarried());

        Deidentification d = deidentification();
        Map<String, Row> run2 = seriesBySeriesId(out);
        Set<String> expected = new HashSet<>();
        for (int i = 2; i < 9; i++) {
            expected.add(d.id(Kind.SERIES, DicomSeriesWriter.seriesInstanceUid(study(i), SOFT)));
        }
        String lung = d.id(Kind.SERIES, DicomSeriesWriter.seriesInstanceUid(study(2), LUNG));
        expected.add(lung);
        assertEquals(expected, run2.keySet(), "exactly the archive's series: removed gone, added present");
        for (Row r : run2.values()) {
            assertTrue(r.isNullAt(r.fieldIndex(SeriesTable.ERROR)), "no series in error (nothing garbled was read): "
                    + r.getAs(SeriesTable.ERROR));
        }
        for (int i = 2; i < 6; i++) {
            String id = d.id(Kind.SERIES, DicomSeriesWriter.seriesInstanceUid(study(i), SOFT));
            assertEquals(run1.get(id), run2.get(id), "study" + i + "'s series row as the first run wrote it");
        }
        Row added = run2.get(lung);
        assertEquals(d.id(Kind.EXAM, study(2).studyInstanceUid()), added.getAs(SeriesTable.STUDY_INSTANCE_UID));
        assertEquals("sharp", added.getAs(SeriesTable.KERNEL_CLASS), "B60f");
        assertFalse((Boolean) added.getAs(SeriesTable.SELECTED), "the soft-tissue series stays chosen");
        assertEquals(7, run2.values().stream().filter(r -> r.<Boolean>getAs(SeriesTable.SELECTED)).count());

        Map<String, String> manifest2 = manifest(out);
        assertEquals(7, manifest2.size());
        for (int i = 2; i < 6; i++) {
            String exam = d.id(Kind.EXAM, study(i).studyInstanceUid());
            assertEquals(manifest1.get(exam), manifest2.get(exam), "exam " + i + ": same id, same manifest line");
        }
        assertFalse(manifest2.containsKey(d.id(Kind.EXAM, study(0).studyInstanceUid())));

        // Nothing changed: nothing read, the same rows.
        CatalogJob.Summary third = catalog(archive, out);
        assertEquals(0, third.foldersRead());
        assertEquals(0, third.files());
        assertEquals(run2, seriesBySeriesId(out));
        System.err.printf("CatalogIncrementalTest: first run %.1f s (%d files), incremental run %.1f s (%d of %d "
                        + "files read), no-op run %.1f s%n", firstSeconds, first.files(), secondSeconds, second.files(),
                filesUnder(archive), third.seconds(), third.seconds());
    }

    @Test
    void aChangedSizeOrModificationTimeRereadsOnlyThatFolder() throws Exception {
        Path archive = addSoftStudies(0, 3);
        Path out = tmp.resolve("catalog");
        catalog(archive, out);
        Map<String, Row> before = seriesBySeriesId(out);

        Path touched = firstFile(archive.resolve("study1"));
        Files.setLastModifiedTime(touched, FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis() + 5_000));
        CatalogJob.Summary mtime = catalog(archive, out);
        assertEquals(1, mtime.foldersRead());
        assertEquals(filesUnder(archive.resolve("study1")), mtime.files(), "only study1's headers");
        assertEquals(before, seriesBySeriesId(out));

        Path grown = firstFile(archive.resolve("study2"));
        FileTime time = Files.getLastModifiedTime(grown);
        Files.write(grown, new byte[] {0, 0}, java.nio.file.StandardOpenOption.APPEND);
        Files.setLastModifiedTime(grown, time); // the size alone tells
        CatalogJob.Summary size = catalog(archive, out);
        assertEquals(1, size.foldersRead());
        assertEquals(filesUnder(archive.resolve("study2")), size.files(), "only study2's headers");
        Map<String, Row> after = seriesBySeriesId(out);
        assertEquals(before.keySet(), after.keySet());
        String id = deidentification().id(Kind.SERIES, DicomSeriesWriter.seriesInstanceUid(study(2), SOFT));
        assertEquals((Long) before.get(id).getAs(SeriesTable.SIZE_BYTES) + 2, (Long) after.get(id).getAs(SeriesTable.SIZE_BYTES),
                "study2's row read again");
    }

    @Test
    void killedRunsAreRedoneWithOneRowPerSeries() throws Exception {
        Path archive = addSoftStudies(0, 3);
        Path out = tmp.resolve("catalog");
        CatalogJob.Summary first = catalog(archive, out);
        addSoftStudies(3, 5);
        writeStudy(archive, 0, LUNG);

        // SIGKILLed in its own JVM while it reads headers (slowed down so that it can be caught midway).
        Path log = tmp.resolve("child.log");
        Process child = ChildJvm.start(tmp, List.of("-Xmx1g", "-Dctcohort.catalog.delayMs=150"),
                "io.ctcohort.cli.CtCohortCli", List.of("catalog", "--incremental", "--in", archive.toString(),
                        "--out", out.toString(), "--pseudonym-key", tmp.resolve("ctcohort.key").toString(),
                        "--master", "local[1]", "--lock-stale-seconds", "3"), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.exists(log) || !Files.readString(log).contains("reading the headers of")) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    fail("child ended or stalled before it read headers:\n" + ChildJvm.tail(log));
                }
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            assertTrue(child.isAlive(), "still reading when killed:\n" + ChildJvm.tail(log));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, the lock left behind
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(first.runId(), Files.readString(out.resolve("LATEST")).strip(), "LATEST on the first run");
        assertEquals(3, seriesBySeriesId(out).size(), "readers still see the first run");

        // Dies after writing its series and folders tables, before _SUCCESS and LATEST.
        System.setProperty("ctcohort.catalog.failBeforeCommit", "true");
        try {
            assertThrows(CtCohortException.class, () -> catalog(archive, out, TAKE_OVER)); // the dead child's lock
        } finally {
            System.clearProperty("ctcohort.catalog.failBeforeCommit");
        }
        assertEquals(first.runId(), Files.readString(out.resolve("LATEST")).strip(), "LATEST on the first run");
        List<String> runs = runFolders(out);
        assertTrue(runs.size() >= 2, "the dead runs' folders are there, without _SUCCESS: " + runs);
        assertFalse(Files.exists(out.resolve("runs").resolve(runs.get(runs.size() - 1)).resolve("_SUCCESS")));
        assertEquals(3, seriesBySeriesId(out).size(), "readers still see the first run");

        CatalogJob.Summary resumed = catalog(archive, out);
        assertEquals(3, resumed.foldersRead(), "the dead run's work is done again from LATEST: study0, 3, 4");
        Dataset rows = new Dataset(out);
        assertEquals(6, rows.count, "3 + 2 studies' series + study0's new one");
        assertEquals(rows.count, rows.distinct, "one row per series");
        assertEquals(resumed.runId(), Files.readString(out.resolve("LATEST")).strip());
        assertEquals(List.of(first.runId(), resumed.runId()), runFolders(out), "the dead run's folder is pruned");
        assertEquals(5, Files.readAllLines(out.resolve("manifest.csv")).size() - 1, "OUT/manifest.csv: one per study");
    }

    /** Row count and distinct series ids of the latest run's series table. */
    private static final class Dataset {
        final long count;
        final long distinct;

        Dataset(Path out) {
            org.apache.spark.sql.Dataset<Row> s = TestSpark.get().read().parquet(latest(out).resolve(SeriesTable.NAME).toString());
            count = s.count();
            distinct = s.select(SeriesTable.SERIES_INSTANCE_UID).distinct().count();
        }
    }

    private static Path latest(Path out) {
        try {
            return out.resolve("runs").resolve(Files.readString(out.resolve("LATEST")).strip());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Row> seriesBySeriesId(Path out) {
        SparkSession spark = TestSpark.get();
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(latest(out).resolve(SeriesTable.NAME).toString()).collectAsList()) {
            Row previous = rows.put(r.getAs(SeriesTable.SERIES_INSTANCE_UID), r);
            assertEquals(null, previous, "one row per series");
        }
        return rows;
    }

    /** exam_id -> its manifest line, from OUT/manifest.csv (the published copy). */
    private static Map<String, String> manifest(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("manifest.csv"));
        assertEquals(lines, Files.readAllLines(latest(out).resolve("manifest.csv")), "OUT/manifest.csv is LATEST's");
        return lines.subList(1, lines.size()).stream()
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(',')), l -> l));
    }

    private static List<String> runFolders(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static Path firstFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
    }

    /** Every file's bytes replaced by random ones, its size and modification time kept. */
    private static void garble(Path dir) throws IOException {
        Random random = new Random(7);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).toList());
        }
        for (Path f : files) {
            FileTime time = Files.getLastModifiedTime(f);
            byte[] garbage = new byte[(int) Files.size(f)];
            random.nextBytes(garbage);
            Files.write(f, garbage);
            Files.setLastModifiedTime(f, time);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
