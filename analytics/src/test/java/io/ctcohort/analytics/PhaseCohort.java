package io.ctcohort.analytics;

import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.layout.OutputLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A run whose contrast-phase mix changes with age, with planted answers. Ages 20-89; at each age 4
 * replicates x 2 sexes; replicate r is portal_venous when r < round(4 (age - 20) / 69), else native, the
 * same for both sexes (so sex stays orthogonal to age and phase): at 20 every exam is native, at 89
 * every one portal venous. Replicate 3 of ages ending in 5 has phase unknown. Planted (per year):
 * trabecular_hu at vertebrae_L1 = 220 - 2.5 age - 6 male + 15 portal + noise (SD 4);
 * liver hu_mean = 65 - 0.1 age + 50 portal + noise (SD 3); liver volume_ml = 1400 + 2 age + noise
 * (SD 40); aortic_calcium_agatston at aorta = 10 age + noise (SD 30): not an attenuation metric.
 * Plus one failed exam and, in one exam, a trabecular value that could not be measured.
 */
final class PhaseCohort {
    static final double TRABECULAR_SLOPE = -2.5, TRABECULAR_CONTRAST = 15;
    static final double LIVER_SLOPE = -0.1, LIVER_CONTRAST = 50;
    static final String FAILED = "EX00007", NOT_MEASURED = "EX00011";

    /** One exam of the fixture, as written. */
    record Exam(String id, double age, String sex, String phase, String status, double trabecular, double liverHu,
                double liverVolume, double agatston) {
        boolean portal() {
            return "portal_venous".equals(phase);
        }

        boolean known() {
            return "native".equals(phase) || portal();
        }
    }

    private PhaseCohort() {
    }

    static List<Exam> exams() {
        Random noise = new Random(20261206);
        List<Exam> out = new ArrayList<>();
        int k = 0;
        for (int age = 20; age <= 89; age++) {
            int portal = (int) Math.round(4.0 * (age - 20) / 69.0);
            for (int r = 0; r < 4; r++) {
                for (String sex : List.of("F", "M")) {
                    String id = String.format("EX%05d", k++);
                    String phase = r == 3 && age % 10 == 5 ? "unknown" : r < portal ? "portal_venous" : "native";
                    double p = phase.equals("portal_venous") ? 1 : 0;
                    double male = sex.equals("M") ? 1 : 0;
                    out.add(new Exam(id, age, sex, phase, id.equals(FAILED) ? "failed" : "ok",
                            220 + TRABECULAR_SLOPE * age - 6 * male + TRABECULAR_CONTRAST * p + 4 * noise.nextGaussian(),
                            65 + LIVER_SLOPE * age + LIVER_CONTRAST * p + 3 * noise.nextGaussian(),
                            1400 + 2 * age + 40 * noise.nextGaussian(), 10 * age + 30 * noise.nextGaussian()));
                }
            }
        }
        return out;
    }

    /**
     * Writes RUN/{exams, measurements, biomarkers} (Parquet, by Spark, the core schemas' columns) and
     * RUN/_SUCCESS; {@code withPhase} false leaves contrast_phase out of exams (a run from before it).
     */
    static void write(SparkSession spark, Path run, boolean withPhase, boolean withBiomarkers) throws IOException {
        List<Exam> exams = exams();
        StructType examSchema = new StructType().add(Columns.EXAM_ID, DataTypes.StringType, false)
                .add(Columns.AGE, DataTypes.DoubleType).add(Columns.SEX, DataTypes.StringType)
                .add(Columns.STATUS, DataTypes.StringType, false).add(Columns.MODEL_ID, DataTypes.StringType, false);
        if (withPhase) {
            examSchema = examSchema.add(ExamsTable.CONTRAST_PHASE, DataTypes.StringType)
                    .add(ExamsTable.CONTRAST_PHASE_SOURCE, DataTypes.StringType);
        }
        StructType mSchema = new StructType().add(Columns.EXAM_ID, DataTypes.StringType, false)
                .add(Columns.STRUCTURE, DataTypes.StringType).add("voxel_count", DataTypes.LongType)
                .add("volume_ml", DataTypes.DoubleType).add("hu_mean", DataTypes.DoubleType)
                .add("touches_border", DataTypes.BooleanType).add(Columns.MODEL_ID, DataTypes.StringType);
        List<Row> e = new ArrayList<>();
        List<Row> m = new ArrayList<>();
        List<Row> b = new ArrayList<>();
        for (Exam x : exams) {
            e.add(withPhase ? RowFactory.create(x.id(), x.age(), x.sex(), x.status(), "demo", x.phase(), "manifest")
                    : RowFactory.create(x.id(), x.age(), x.sex(), x.status(), "demo"));
            m.add(RowFactory.create(x.id(), "liver", 1000L, x.liverVolume(), x.liverHu(), false, "demo"));
            boolean measured = !x.id().equals(NOT_MEASURED);
            b.add(RowFactory.create(x.id(), "trabecular_hu", "vertebrae_L1", measured ? x.trabecular() : null, "HU",
                    measured ? null : "vertebra cut by the field of view", "demo"));
            b.add(RowFactory.create(x.id(), "aortic_calcium_agatston", "aorta", x.agatston(), "agatston", null, "demo"));
        }
        spark.createDataFrame(e, examSchema).repartition(2).write().parquet(run.resolve(OutputLayout.EXAMS).toString());
        spark.createDataFrame(m, mSchema).repartition(3).write()
                .parquet(run.resolve(OutputLayout.MEASUREMENTS).toString());
        if (withBiomarkers) {
            spark.createDataFrame(b, BiomarkersTable.SCHEMA).repartition(3).write()
                    .parquet(run.resolve(BiomarkersTable.NAME).toString());
        }
        Files.writeString(run.resolve(OutputLayout.SUCCESS), "");
    }
}
