package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.engine.dicom.DicomSeriesWriter;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Series;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Study;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseSource;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import io.ctcohort.pipeline.manifest.ContrastColumns;
import io.ctcohort.pipeline.manifest.Manifest;
import io.ctcohort.pipeline.manifest.ManifestEntry;
import io.ctcohort.pipeline.manifest.ManifestReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog records what the DICOM header says of contrast, ContrastBolusAgent (0018,0010) and
 * ContrastBolusRoute (0018,1040), per series, and the manifest it writes carries them as the hint
 * columns segment reads into a phase hint (source dicom). Series written by the project's own writer,
 * one study with contrast attributes and one without.
 */
class CatalogContrastTest {
    private static final String NAME = "PLANTEDNAME^CONTRAST";

    @TempDir
    Path tmp;

    private static Study study(String key) {
        return new Study(key, "PID-" + key, NAME, "F", 61, null, LocalDate.of(2025, 3, 1), "ACC-" + key,
                "CT ABDOMEN", "CTCOHORT", "ABDOMEN");
    }

    @Test
    void catalogRecordsTheContrastTagsAndTheManifestCarriesThemAsAHint() throws Exception {
        Path archive = tmp.resolve("archive");
        Study withContrast = study("portal");
        Study without = study("plain");
        DicomSeriesWriter.write(TestCohort.ct(5, 0), withContrast,
                Series.axial(2, "ABDOMEN PV 3.0 B30f", "B30f").withContrast("IOHEXOL 350", "IV"), archive.resolve("a"));
        DicomSeriesWriter.write(TestCohort.ct(6, 1), without, Series.axial(2, "ABDOMEN 3.0 B30f", "B30f"),
                archive.resolve("b"));
        Path out = tmp.resolve("catalog");
        CatalogJob.Summary s = new CatalogJob(TestSpark.get(), SelectionRules.DEFAULT, System.err)
                .run(archive.toString(), out.toString());
        assertEquals(2, s.selected());

        Map<String, Row> byStudy = new HashMap<>();
        for (Row r : TestSpark.get().read().parquet(out.resolve(SeriesTable.NAME).toString()).collectAsList()) {
            byStudy.put(r.getAs(SeriesTable.STUDY_INSTANCE_UID), r);
        }
        Row a = byStudy.get(withContrast.studyInstanceUid());
        assertEquals("IOHEXOL 350", a.getAs(SeriesTable.CONTRAST_AGENT));
        assertEquals("IV", a.getAs(SeriesTable.CONTRAST_ROUTE));
        Row b = byStudy.get(without.studyInstanceUid());
        assertNull(b.getAs(SeriesTable.CONTRAST_AGENT));
        assertNull(b.getAs(SeriesTable.CONTRAST_ROUTE));

        List<String> csv = Files.readAllLines(out.resolve("manifest.csv"));
        assertTrue(csv.get(0).endsWith("," + ContrastColumns.AGENT_DICOM + "," + ContrastColumns.ROUTE_DICOM), csv.get(0));
        Manifest m = new ManifestReader(List.of(Manifest.EXAM_ID, Manifest.IMAGE_URI), ExamsTable.reservedColumns())
                .read(TestSpark.get(), out.resolve("manifest.csv").toString());
        Map<String, ManifestEntry> entries = new HashMap<>();
        m.entries().forEach(e -> entries.put(e.examId(), e));
        ManifestEntry hinted = entries.get(withContrast.studyInstanceUid());
        assertEquals(PhaseSource.DICOM, hinted.givenPhase().source());
        assertEquals(ContrastPhase.UNKNOWN, hinted.givenPhase().phase(), "contrast given, its phase not in the header");
        assertNull(entries.get(without.studyInstanceUid()).givenPhase(), "a silent header gives no hint");
        assertEquals("IOHEXOL 350", hinted.values()[m.passThrough().fieldIndex(ContrastColumns.AGENT_DICOM)],
                "the header's words pass through to the exams table");

        // What the catalog writes holds header values, never the patient's name.
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("PLANTEDNAME"), p + " holds a patient name");
            }
        }
    }
}
