package io.ctcohort.analytics.centiles;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * The contract of the three tables {@code analyze} writes beside age_effects: explicit snake_case
 * schemas, and the rows built from them in the same field order (DESIGN.md: Encoders.bean would
 * silently give an empty struct for a record).
 */
public final class CentileTables {
    public static final String REFERENCE_CENTILES = "reference_centiles";
    public static final String EXAM_SCORES = "exam_scores";
    public static final String AGE_SPLINE = "age_spline";

    /**
     * Per structure, metric, sex, whole year of age (over the group's observed range) and centile: the
     * rearranged centile value. A group without a fit has one row per centile with null age and value
     * and the reason.
     */
    public static final StructType REFERENCE_CENTILES_SCHEMA = new StructType()
            .add("structure", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("sex", DataTypes.StringType, false)
            .add("age", DataTypes.IntegerType)
            .add("centile", DataTypes.DoubleType, false)
            .add("value", DataTypes.DoubleType)
            .add("n", DataTypes.LongType, false)
            .add("spline_df", DataTypes.IntegerType, false)
            .add("method", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType);

    /** Per exam, structure and metric: where the exam's value lies among its sex's curves at its age. */
    public static final StructType EXAM_SCORES_SCHEMA = new StructType()
            .add("exam_id", DataTypes.StringType, false)
            .add("structure", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("sex", DataTypes.StringType, false)
            .add("age", DataTypes.DoubleType, false)
            .add("value", DataTypes.DoubleType, false)
            .add("centile_rank", DataTypes.DoubleType)
            .add("z", DataTypes.DoubleType)
            .add("reason", DataTypes.StringType);

    /** Per structure, metric and stratum: the spline-in-age OLS against the linear one (F test). */
    public static final StructType AGE_SPLINE_SCHEMA = new StructType()
            .add("structure", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("stratum", DataTypes.StringType, false)
            .add("n", DataTypes.LongType, false)
            .add("spline_df", DataTypes.IntegerType, false)
            .add("rss_linear", DataTypes.DoubleType)
            .add("rss_spline", DataTypes.DoubleType)
            .add("f_stat", DataTypes.DoubleType)
            .add("df_num", DataTypes.IntegerType, false)
            .add("df_den", DataTypes.IntegerType, false)
            .add("p_nonlinear", DataTypes.DoubleType)
            .add("r2_linear", DataTypes.DoubleType)
            .add("r2_spline", DataTypes.DoubleType)
            .add("reason", DataTypes.StringType);

    private CentileTables() {
    }

    static List<Row> referenceRows(StructureCentiles s) {
        List<Row> rows = new ArrayList<>();
        for (StructureCentiles.Group g : s.groups()) {
            CentileCurves c = g.curves();
            double[] centiles = c.centiles();
            long n = c.n();
            int df = s.splineDf();
            if (!c.fitted()) {
                for (double centile : centiles) {
                    rows.add(RowFactory.create(s.structure(), g.metric(), g.sex(), null, centile, null, n, df,
                            CentileCurves.METHOD, c.reason()));
                }
                continue;
            }
            for (int age : c.ageGrid()) {
                double[] v = c.centileValues(age);
                for (int j = 0; j < centiles.length; j++) {
                    rows.add(RowFactory.create(s.structure(), g.metric(), g.sex(), age, centiles[j], v[j], n, df,
                            CentileCurves.METHOD, null));
                }
            }
        }
        return rows;
    }

    static List<Row> scoreRows(StructureCentiles s) {
        List<Row> rows = new ArrayList<>();
        for (StructureCentiles.Group g : s.groups()) {
            String reason = g.curves().reason();
            for (int i = 0; i < g.examIds().length; i++) {
                rows.add(RowFactory.create(g.examIds()[i], s.structure(), g.metric(), g.sex(), g.ages()[i],
                        g.values()[i], reason == null ? g.ranks()[i] : null, reason == null ? g.z()[i] : null, reason));
            }
        }
        return rows;
    }

    static List<Row> ageSplineRows(StructureCentiles s) {
        List<Row> rows = new ArrayList<>();
        for (AgeSplineFit f : s.ageSplines()) {
            rows.add(ageSplineRow(f));
        }
        return rows;
    }

    public static Row ageSplineRow(AgeSplineFit f) {
        return RowFactory.create(f.structure(), f.metric(), f.stratum(), f.n(), f.splineDf(), f.rssLinear(),
                f.rssSpline(), f.fStat(), f.dfNum(), f.dfDen(), f.pNonlinear(), f.r2Linear(), f.r2Spline(), f.reason());
    }
}
