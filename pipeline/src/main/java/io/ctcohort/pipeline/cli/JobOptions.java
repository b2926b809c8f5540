package io.ctcohort.pipeline.cli;

import io.ctcohort.core.cli.LockOptions;
import io.ctcohort.core.cli.SparkOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code segment} and {@code measure}. */
public final class JobOptions {
    @Option(names = "--manifest", required = true, paramLabel = "M",
            description = "CSV or Parquet: exam_id, image_uri (file://, s3a://, hdfs://, or a path), other columns pass through.")
    String manifest;

    @Option(names = "--out", required = true, paramLabel = "OUT",
            description = "Output root: OUT/runs/<run_id>/{exams,measurements,biomarkers,validation}, OUT/LATEST.")
    String out;

    @Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @Option(names = "--incremental",
            description = "Keep the LATEST run's ok rows of unchanged exams (same fingerprint and model); process the rest.")
    boolean incremental;

    @Option(names = "--keep-runs", paramLabel = "N", defaultValue = "0",
            description = "After publishing, delete all but the newest N complete runs (0 = keep all).")
    int keepRuns;

    @Option(names = "--no-progress", description = "Do not print progress lines.")
    boolean noProgress;

    @Mixin
    LockOptions lock = new LockOptions();

    @Mixin
    PseudonymOptions pseudonyms = new PseudonymOptions();

    @Option(names = "--keep-identifiers",
            description = "Keep image_uri, mask_uri and series_description in the exams table: for runs whose "
                    + "tables stay inside the data custodian's walls (recorded in the run's _SUCCESS).")
    boolean keepIdentifiers;
}
