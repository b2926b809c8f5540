package io.ctcohort.pipeline.job;

/**
 * What a run did. {@code processed} exams went through the analyzer in this run; {@code reused}
 * came from the staging folder of an interrupted attempt; {@code carried} were unchanged since the
 * previous complete run and copied from it. {@code processSeconds} is the Spark job that analyzed
 * the exams, {@code publishSeconds} building and writing the tables.
 */
public record RunSummary(String runId, String outputRoot, String modelId, int exams, int processed, int reused,
                         int carried, long ok, long failed, long measurementRows, double seconds,
                         double processSeconds, double publishSeconds) {

    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "run %s: %d exams (%d processed, %d from staging, %d unchanged) -> %d ok, %d failed, "
                        + "%d measurement rows, %.1f s; tables in %s/runs/%s",
                runId, exams, processed, reused, carried, ok, failed, measurementRows, seconds, outputRoot, runId);
    }

    public String toJson() {
        return String.format(java.util.Locale.ROOT,
                "{\"run_id\":\"%s\",\"model_id\":\"%s\",\"exams\":%d,\"processed\":%d,\"reused_from_staging\":%d,"
                        + "\"carried_over\":%d,\"ok\":%d,\"failed\":%d,\"measurement_rows\":%d,\"seconds\":%.3f}\n",
                runId, modelId.replace("\"", "'"), exams, processed, reused, carried, ok, failed, measurementRows,
                seconds);
    }
}
