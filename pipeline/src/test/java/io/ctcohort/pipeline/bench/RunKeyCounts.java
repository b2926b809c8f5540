package io.ctcohort.pipeline.bench;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.Columns.STRUCTURE;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.tables.BiomarkersTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows and distinct keys of a run's four tables, (exam_id, model_id), (exam_id, structure, model_id),
 * (exam_id, biomarker, site, model_id) and validation's (exam_id, structure, model_id) (a failed
 * validation's null structure is one key): what the benchmarks and reliability tests check "exactly
 * once" (none lost, none duplicated) on.
 */
public record RunKeyCounts(long examRows, long examKeys, long measurementRows, long measurementKeys,
                           long biomarkerRows, long biomarkerKeys, long validationRows, long validationKeys) {

    /** Counts the run folder {@code runDir} (local path or URI). */
    public static RunKeyCounts of(SparkSession spark, String runDir) {
        Dataset<Row> exams = spark.read().parquet(runDir + "/" + OutputLayout.EXAMS);
        Dataset<Row> measurements = spark.read().parquet(runDir + "/" + OutputLayout.MEASUREMENTS);
        Dataset<Row> biomarkers = spark.read().parquet(runDir + "/" + OutputLayout.BIOMARKERS);
        Dataset<Row> validation = spark.read().parquet(runDir + "/" + OutputLayout.VALIDATION);
        return new RunKeyCounts(exams.count(), exams.select(EXAM_ID, MODEL_ID).distinct().count(),
                measurements.count(), measurements.select(EXAM_ID, STRUCTURE, MODEL_ID).distinct().count(),
                biomarkers.count(), biomarkers.select(EXAM_ID, BiomarkersTable.BIOMARKER, BiomarkersTable.SITE,
                        MODEL_ID).distinct().count(),
                validation.count(), validation.select(EXAM_ID, STRUCTURE, MODEL_ID).distinct().count());
    }

    /** Rows beyond one per key, in the four tables. */
    public long duplicated() {
        return (examRows - examKeys) + (measurementRows - measurementKeys) + (biomarkerRows - biomarkerKeys)
                + (validationRows - validationKeys);
    }
}
