package io.ctcohort.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static RunSummary summary(String modelId, double seconds) {
        return new RunSummary("20261129T101500123Z", "/out", modelId, 12, 5, 1, 6, 10, 2, 1170, 384, 36, seconds, 1.0, 2.0,
                Map.of());
    }

    @Test
    void successJsonIsTheLineItAlwaysWasPlusTheOtherRowTables() {
        RunSummary s = summary("demo-unet-3mm", 12.3);
        // the hand-formatted line the job wrote before the summary went through Jackson, plus how ids were
        // treated and the biomarker and validation rows
        String before = String.format(Locale.ROOT,
                "{\"run_id\":\"%s\",\"model_id\":\"%s\",\"exams\":%d,\"processed\":%d,\"reused_from_staging\":%d,"
                        + "\"carried_over\":%d,\"ok\":%d,\"failed\":%d,\"measurement_rows\":%d,\"biomarker_rows\":%d,"
                        + "\"validation_rows\":%d,"
                        + "\"identifiers\":\"as-given\",\"seconds\":%.3f}\n",
                s.runId(), s.modelId(), s.exams(), s.processed(), s.reused(), s.carried(), s.ok(), s.failed(),
                s.measurementRows(), s.biomarkerRows(), s.validationRows(), s.seconds());
        assertEquals(before, s.toJson());
    }

    @Test
    void anyModelIdStaysValidJson() throws Exception {
        String id = "odd \"model\" \\ id\n";
        String line = summary(id, 0.0005).toJson();
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals(id, json.get("model_id").asText());
        assertTrue(line.endsWith(",\"seconds\":0.001}\n"), line);
    }
}
