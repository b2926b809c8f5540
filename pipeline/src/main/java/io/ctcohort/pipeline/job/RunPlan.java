package io.ctcohort.pipeline.job;

import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.pipeline.exam.ModelIdentity;
import io.ctcohort.pipeline.exam.StagingStore;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What a run will do, decided before any exam is analyzed ({@link RunPlanner}). The per-exam plan
 * lives in Spark ({@link #rows}: {@link PlanRows#TASK} plus a {@link PlanRows#DECISION} per exam,
 * written once to the run's staging folder and read back, so that every later step sees the same
 * decisions); the driver holds the counts.
 *
 * @param latest       the LATEST complete run, if any
 * @param previousRun  the run whose rows are carried over (--incremental, LATEST usable), if any
 * @param validated    exams of the manifest that have a reference label map
 */
record RunPlan(String runId, Optional<String> latest, Optional<String> previousRun, ManifestRows manifest,
               ModelIdentity model, OutputLayout layout, StagingStore staging, Dataset<Row> rows,
               long exams, long carried, long reused, long todo, long validated, SparkBatches.Batches batches) {

    /** This run's exams with the given decision. */
    Dataset<Row> withDecision(String decision) {
        return rows.filter(functions.col(PlanRows.DECISION).equalTo(decision));
    }
}
