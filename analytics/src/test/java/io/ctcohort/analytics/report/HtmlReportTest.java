package io.ctcohort.analytics.report;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlReportTest {
    @Test
    void plainNamesKeepTheirFileNameAndOddNamesNeverShareOne() {
        assertEquals("scatter_vertebrae_L1", HtmlReport.fileName("vertebrae_L1"));
        List<String> names = List.of("a_b", "a b", "a/b", "a?b", "a\u00e9b", "..");
        Set<String> files = new HashSet<>();
        for (String n : names) {
            String f = HtmlReport.fileName(n);
            assertEquals(f, f.replaceAll("[^A-Za-z0-9_.-]", "_"), "only safe characters: " + f);
            files.add(f);
        }
        assertEquals(names.size(), files.size(), "one plot file per structure: " + files);
    }
}
