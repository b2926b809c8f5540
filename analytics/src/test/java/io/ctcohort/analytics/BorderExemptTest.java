package io.ctcohort.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** QC's border rule and its per-structure exemption (structures that run through every scan). */
class BorderExemptTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTests.start("BorderExemptTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void exemptStructuresKeepTheirBorderRowsOthersLoseThem() {
        StructType examSchema = new StructType().add("exam_id", DataTypes.StringType).add("age", DataTypes.DoubleType)
                .add("sex", DataTypes.StringType).add("status", DataTypes.StringType);
        Dataset<Row> exams = spark.createDataFrame(List.of(RowFactory.create("e1", 40.0, "F", "ok"),
                RowFactory.create("e2", 60.0, "M", "ok"), RowFactory.create("e3", 70.0, "M", "failed")), examSchema);
        StructType mSchema = new StructType().add("exam_id", DataTypes.StringType).add("structure", DataTypes.StringType)
                .add("voxel_count", DataTypes.LongType).add("volume_ml", DataTypes.DoubleType)
                .add("hu_mean", DataTypes.DoubleType).add("touches_border", DataTypes.BooleanType);
        Dataset<Row> m = spark.createDataFrame(List.of(
                RowFactory.create("e1", "aorta", 100L, 50.0, 200.0, true),
                RowFactory.create("e2", "aorta", 110L, 55.0, 210.0, true),
                RowFactory.create("e3", "aorta", 120L, 60.0, 220.0, true),    // failed exam: still out
                RowFactory.create("e1", "liver", 1000L, 1500.0, 60.0, true),  // not exempt: out
                RowFactory.create("e2", "liver", 1000L, 1500.0, 60.0, false),
                RowFactory.create("e2", "spleen", 0L, 0.0, Double.NaN, true)), mSchema); // not exempt: border rule first

        QualityControl.Result plain = QualityControl.apply(spark, exams, m, StudyOptions.defaults());
        assertEquals(1, plain.kept());
        assertEquals(4L, plain.removed().get("touches_border"));

        StudyOptions exempt = StudyOptions.defaults().withBorderExempt(List.of("aorta", "autochthon_left"));
        assertEquals(Set.of("aorta", "autochthon_left"), exempt.borderExempt());
        QualityControl.Result kept = QualityControl.apply(spark, exams, m, exempt);
        assertEquals(Map.of("no_exam_row", 0L, "exam_not_ok", 1L, "touches_border", 2L, "empty", 0L,
                "below_min_volume", 0L), kept.removed());
        assertEquals(List.of("e1/aorta", "e2/aorta", "e2/liver"), kept.passed().orderBy("structure", "exam_id")
                .collectAsList().stream().map(r -> r.getString(1) + "/" + r.getString(0)).toList());
    }
}
