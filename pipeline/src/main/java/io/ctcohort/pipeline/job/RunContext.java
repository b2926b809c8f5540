package io.ctcohort.pipeline.job;

import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * What every step of one run ({@link RunPlanner}, {@link BatchProcessing}, {@link RunPublisher}) works
 * with: the session, the analyzer, the job's options, how identifiers are treated, and where progress
 * goes. Driver-side only: a step's Spark functions never capture it.
 */
record RunContext(SparkSession spark, ExamAnalyzer analyzer, CohortJob.Options options,
                  Deidentification deidentification, PrintStream err) {
}
