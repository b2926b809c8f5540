package io.ctcohort.pipeline.demo;

import static org.apache.spark.sql.functions.col;

import io.ctcohort.analytics.AgeEffects;
import io.ctcohort.analytics.AgeStudy;
import io.ctcohort.analytics.StudyOptions;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The age study fitted on the phantom's truth instead of the segmentation: truth.csv (volumes and
 * mean HU of the true label maps, HU measured on the same noisy image) joined with the manifest's
 * demographics and the segmented run's exam status, through the same {@link AgeStudy} and QC:
 * ok exams only, empty structures out, and border-touching structures out by the truth's own
 * touches_border flag (the same 3-plane rule on the true mask) with the same exemptions.
 */
public final class TruthFit {
    private TruthFit() {
    }

    /**
     * @param runExams the segmented run's exams table (exam_id, status)
     * @return stratum-all estimates keyed by {@link Estimate#key}
     */
    public static Map<String, Estimate> fit(SparkSession spark, Path manifest, Path truth, Dataset<Row> runExams,
                                            StudyOptions options) {
        Dataset<Row> demographics = csv(spark, manifest).select("exam_id", "age", "sex");
        Dataset<Row> exams = demographics.join(runExams.select("exam_id", "status"), "exam_id");
        Dataset<Row> measurements = csv(spark, truth).select(col("exam_id"), col("structure"),
                col("voxel_count").cast("long").as("voxel_count"), col("volume_ml").cast("double").as("volume_ml"),
                col("hu_mean").cast("double").as("hu_mean"), col("touches_border").cast("boolean").as("touches_border"));
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, options);
        try {
            return Estimate.of(AgeEffects.toDataFrame(spark, result.effects()), result.passed());
        } finally {
            result.release();
        }
    }

    private static Dataset<Row> csv(SparkSession spark, Path file) {
        return spark.read().option("header", "true").csv(file.toUri().toString());
    }
}
