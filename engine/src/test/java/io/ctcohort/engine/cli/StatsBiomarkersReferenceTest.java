package io.ctcohort.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.engine.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stats --biomarkers} on a real CT with TotalSegmentator's own segmentation: the organ HU
 * biomarkers equal an independent computation (numpy + scipy.ndimage.binary_erosion, three
 * iterations, border_value 0: engine/src/test/python/organ_hu_reference.py), and adding the
 * biomarkers leaves statistics.json byte for byte as it was.
 */
class StatsBiomarkersReferenceTest {
    /** organ_hu_reference.py's output on example_ct_sm + example_seg_fast (scipy 1.17.1). */
    private static final double LIVER_HU = 45.787988, SPLEEN_HU = 33.898841;

    @TempDir
    Path dir;

    private int run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = BadInputHandler.commandLine(new StatsCommand());
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertEquals(0, code, err.toString());
        return code;
    }

    @Test
    void organHuMatchesScipyAndStatisticsAreUnchanged() throws Exception {
        String ct = TestData.totalSegmentator("example_ct_sm.nii.gz").toString();
        String seg = TestData.totalSegmentator("example_seg_fast.nii.gz").toString();
        Path plain = dir.resolve("plain.json");
        Path withBiomarkers = dir.resolve("statistics.json");
        Path biomarkers = dir.resolve("biomarkers.json");
        run("--ct", ct, "--seg", seg, "--out", plain.toString());
        run("--ct", ct, "--seg", seg, "--out", withBiomarkers.toString(), "--biomarkers", biomarkers.toString());
        assertEquals(Files.readString(plain), Files.readString(withBiomarkers));

        JsonNode json = new ObjectMapper().readTree(biomarkers.toFile());
        Map<String, JsonNode> rows = new HashMap<>();
        json.get("biomarkers").forEach(r -> rows.put(r.get("biomarker").asText() + "@" + r.get("site").asText(), r));
        assertEquals(LIVER_HU, rows.get("liver_hu@liver").get("value").asDouble(), 1e-6);
        assertEquals(SPLEEN_HU, rows.get("spleen_hu@spleen").get("value").asDouble(), 1e-6);
        assertEquals(LIVER_HU - SPLEEN_HU, rows.get("liver_spleen_difference_hu@liver").get("value").asDouble(), 1e-6);
        assertEquals("HU", rows.get("liver_hu@liver").get("unit").asText());
        // every vertebra of the vocabulary has a row; one cut by this 30-slice field of view is null with a reason
        long vertebrae = rows.keySet().stream().filter(k -> k.startsWith("trabecular_hu@vertebrae_")).count();
        assertEquals(25, vertebrae, rows.keySet().toString()); // C1-C7, T1-T12, L1-L5, S1
        rows.values().forEach(r -> assertTrue(!r.get("value").isNull() || !r.get("reason").isNull(), r.toString()));
        assertFalse(json.get("contrast_phase").asText().isEmpty());
        assertEquals("estimated", json.get("contrast_phase_source").asText());
    }
}
