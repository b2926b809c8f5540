package io.ctcohort.engine.labels;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelMapTest {
    @Test
    void bundledTablesAreTotalSegmentators() {
        LabelMap total = LabelMap.total();
        assertEquals(117, total.size());
        assertEquals(117, total.maxLabel());
        assertEquals("spleen", total.name(1));
        assertEquals("liver", total.name(5));
        assertEquals("costal_cartilages", total.name(117));
        assertNull(total.name(0));
        LabelMap v1 = LabelMap.totalV1();
        assertEquals(104, v1.size());
        assertEquals("urinary_bladder", v1.name(104));
        assertEquals(total.asMap(), LabelMap.resolve("total").asMap());
        assertEquals(v1.asMap(), LabelMap.resolve("total_v1").asMap());
        // identical to the reference copies they were bundled from
        assertEquals(total.asMap(), LabelMap.fromTsv(TestData.totalSegmentator("labels_total.tsv")).asMap());
        assertEquals(v1.asMap(), LabelMap.fromTsv(TestData.totalSegmentator("labels_total_v1.tsv")).asMap());
    }

    @Test
    void tsvFilesAndMapsAreSortedByLabel(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.tsv");
        Files.writeString(f, "label\tstructure\n300\tb\n2\ta\n\n");
        LabelMap m = LabelMap.resolve(f.toString());
        assertEquals(List.of(2, 300), List.copyOf(m.asMap().keySet()));
        assertEquals(300, m.maxLabel());
        assertEquals(List.of(1, 7), List.copyOf(LabelMap.of(Map.of(7, "x", 1, "y")).asMap().keySet()));
    }

    @Test
    void badTablesNameTheFileAndProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, "1\tspleen\ntwo\tliver\n");
        CtCohortException e = assertThrows(CtCohortException.class, () -> LabelMap.fromTsv(f));
        assertTrue(e.getMessage().startsWith(f + ": line 2"), e.getMessage());
        Files.writeString(f, "1\tspleen\n1\tliver\n");
        assertTrue(assertThrows(CtCohortException.class, () -> LabelMap.fromTsv(f)).getMessage().contains("twice"));
        Files.writeString(f, "0\tbackground\n");
        assertTrue(assertThrows(CtCohortException.class, () -> LabelMap.fromTsv(f)).getMessage().contains("background"));
        assertThrows(CtCohortException.class, () -> LabelMap.resolve(dir.resolve("nope.tsv").toString()));
        Files.writeString(f, "1\tspleen\n99999999999\tliver\n"); // digits beyond int: not a NumberFormatException
        e = assertThrows(CtCohortException.class, () -> LabelMap.fromTsv(f));
        assertTrue(e.getMessage().startsWith(f + ": line 2") && e.getMessage().contains("1..65535"), e.getMessage());
    }
}
