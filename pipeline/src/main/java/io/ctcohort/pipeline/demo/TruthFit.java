package io.ctcohort.pipeline.demo;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STATUS;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.MeasurementsTable.HU_MEAN;
import static io.ctcohort.core.tables.MeasurementsTable.TOUCHES_BORDER;
import static io.ctcohort.core.tables.MeasurementsTable.VOLUME_ML;
import static io.ctcohort.core.tables.MeasurementsTable.VOXEL_COUNT;
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
        Dataset<Row> demographics = csv(spark, manifest).select(EXAM_ID, AGE, SEX);
        Dataset<Row> exams = demographics.join(runExams.select(EXAM_ID, STATUS), EXAM_ID);
        Dataset<Row> measurements = csv(spark, truth).select(col(EXAM_ID), col(STRUCTURE),
                col(VOXEL_COUNT).cast("long").as(VOXEL_COUNT), col(VOLUME_ML).cast("double").as(VOLUME_ML),
                col(HU_MEAN).cast("double").as(HU_MEAN), col(TOUCHES_BORDER).cast("boolean").as(TOUCHES_BORDER));
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
