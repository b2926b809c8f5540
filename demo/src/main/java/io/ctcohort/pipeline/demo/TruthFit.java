package io.ctcohort.pipeline.demo;

import static io.ctcohort.core.tables.Columns.AGE;
import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.SEX;
import static io.ctcohort.core.tables.Columns.STATUS;
import static io.ctcohort.core.tables.Columns.STRUCTURE;
import static io.ctcohort.core.tables.Columns.VALUE;
import static io.ctcohort.core.tables.ExamsTable.CONTRAST_PHASE;
import static io.ctcohort.core.tables.MeasurementsTable.HU_MEAN;
import static io.ctcohort.core.tables.MeasurementsTable.TOUCHES_BORDER;
import static io.ctcohort.core.tables.MeasurementsTable.VOLUME_ML;
import static io.ctcohort.core.tables.MeasurementsTable.VOXEL_COUNT;
import static org.apache.spark.sql.functions.col;

import io.ctcohort.analytics.AgeEffects;
import io.ctcohort.analytics.AgeStudy;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.core.tables.BiomarkersTable;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The age study fitted on the phantom's truth instead of the segmentation: truth.csv (volumes and
 * mean HU of the true label maps, HU measured on the same noisy image) and truth_biomarkers.csv (the
 * planted biomarker values), joined with the manifest's demographics, the truth's contrast phase and
 * the segmented run's exam status, through the same {@link AgeStudy}, QC and phase treatment: ok exams
 * only, empty structures out, and border-touching structures out by the truth's own touches_border
 * flag (the same 3-plane rule on the true mask) with the same exemptions; attenuation metrics adjusted
 * for the true phase as the segmented run's are for the manifest's (the demo's manifest carries the
 * truth's phase).
 */
public final class TruthFit {
    private TruthFit() {
    }

    /**
     * @param runExams the segmented run's exams table (exam_id, status)
     * @return stratum-all estimates of structures' metrics and of biomarkers (site, biomarker), keyed by
     *         {@link Estimate#key}
     */
    public static Map<String, Estimate> fit(SparkSession spark, Path manifest, Path truth, Path truthBiomarkers,
                                            Dataset<Row> runExams, StudyOptions options) {
        Dataset<Row> demographics = csv(spark, manifest).select(EXAM_ID, AGE, SEX);
        Dataset<Row> truthRows = csv(spark, truth);
        Dataset<Row> phases = truthRows.select(EXAM_ID, CONTRAST_PHASE).distinct();
        Dataset<Row> exams = demographics.join(runExams.select(EXAM_ID, STATUS), EXAM_ID).join(phases, EXAM_ID);
        Dataset<Row> measurements = truthRows.select(col(EXAM_ID), col(STRUCTURE),
                col(VOXEL_COUNT).cast("long").as(VOXEL_COUNT), col(VOLUME_ML).cast("double").as(VOLUME_ML),
                col(HU_MEAN).cast("double").as(HU_MEAN), col(TOUCHES_BORDER).cast("boolean").as(TOUCHES_BORDER));
        Dataset<Row> biomarkers = csv(spark, truthBiomarkers).select(col(EXAM_ID), col(BiomarkersTable.SITE),
                col(BiomarkersTable.BIOMARKER), col(VALUE).cast("double").as(VALUE));
        AgeStudy.Result result = AgeStudy.run(spark, exams, measurements, biomarkers, options, false);
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
