package io.ctcohort.pipeline.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.Status;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run did. {@code processed} exams went through the analyzer in this run; {@code reused}
 * came from the staging folder of an interrupted attempt; {@code carried} were unchanged since the
 * previous complete run and copied from it. {@code processSeconds} is the Spark job that analyzed
 * the exams, {@code publishSeconds} building and writing the tables. {@code failedByClass} counts the
 * failed exams per error_class, most frequent first. {@code identifiers} records how ids reached the
 * run's tables: pseudonymized, as-given, or kept (--keep-identifiers: a run inside the custodian's walls).
 */
public record RunSummary(String runId, String outputRoot, String modelId, int exams, int processed, int reused,
                         int carried, long ok, long failed, long measurementRows, long biomarkerRows,
                         long validationRows, double seconds, double processSeconds, double publishSeconds,
                         Map<String, Long> failedByClass, String identifiers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunSummary {
        failedByClass = Collections.unmodifiableMap(new LinkedHashMap<>(failedByClass));
    }

    public RunSummary(String runId, String outputRoot, String modelId, int exams, int processed, int reused,
                      int carried, long ok, long failed, long measurementRows, long biomarkerRows,
                      long validationRows, double seconds, double processSeconds, double publishSeconds,
                      Map<String, Long> failedByClass) {
        this(runId, outputRoot, modelId, exams, processed, reused, carried, ok, failed, measurementRows, biomarkerRows,
                validationRows, seconds, processSeconds, publishSeconds, failedByClass, "as-given");
    }

    /**
     * The failures in plain words, one line per error_class with its count, so that a night's run
     * says at its end what went wrong and how often ("none" when nothing failed).
     */
    public String describeFailures() {
        if (failedByClass.isEmpty()) {
            return "failed exams: none";
        }
        StringBuilder s = new StringBuilder("failed exams by error_class (" + failed + " in all):");
        failedByClass.forEach((cls, n) -> s.append(String.format(java.util.Locale.ROOT, "%n  %6d  %s", n, cls)));
        return s.toString();
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "run %s: %d exams (%d processed, %d from staging, %d unchanged) -> %d ok, %d failed, "
                        + "%d measurement rows, %d biomarker rows, %d validation rows, %.1f s; tables in %s/runs/%s",
                runId, exams, processed, reused, carried, ok, failed, measurementRows, biomarkerRows, validationRows,
                seconds, outputRoot, runId);
    }

    /** The run's {@code _SUCCESS} file: one JSON line (seconds to the millisecond, as before). */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", runId);
        json.put(Columns.MODEL_ID, modelId);
        json.put("exams", exams);
        json.put("processed", processed);
        json.put("reused_from_staging", reused);
        json.put("carried_over", carried);
        json.put(Status.OK.value(), ok);
        json.put(Status.FAILED.value(), failed);
        json.put("measurement_rows", measurementRows);
        json.put("biomarker_rows", biomarkerRows);
        json.put("validation_rows", validationRows);
        json.put("identifiers", identifiers);
        json.put("seconds", BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP));
        try {
            return JSON.writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run summary as JSON", e);
        }
    }
}
