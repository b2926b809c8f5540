package io.ctcohort.pipeline.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A run's manifest as the executors read it: encoded once, right after it is read and validated, into
 * two DataFrames of byte slices ({@code manifest.RowSlices}), after which the parsed entries are
 * garbage. The driver keeps only these slices (the bytes of an exam's values), not a million parsed entries
 * with their image references and a second, de-identified copy of them (together most of a 10^6-exam
 * full run's driver heap).
 *
 * @param inputs one row per exam with {@link PlanRows#INPUT}'s columns, in manifest order
 * @param shared exam_id and the pass-through columns the run's tables may hold (the left side of the
 *               {@code exams} table), in manifest order
 */
record ManifestRows(Dataset<Row> inputs, Dataset<Row> shared) {
}
