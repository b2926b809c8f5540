package io.ctcohort.analytics.centiles;

import io.ctcohort.core.tables.AgeSplineTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.ExamScoresTable;
import io.ctcohort.core.tables.ReferenceCentilesTable;
import io.ctcohort.core.tables.RowBuilder;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the three tables {@code analyze} writes beside age_effects, built by column name against
 * their schemas in core ({@link ReferenceCentilesTable}, {@link ExamScoresTable}, {@link AgeSplineTable};
 * DESIGN.md: Encoders.bean would silently give an empty struct for a record).
 */
public final class CentileTables {
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
                    rows.add(referenceRow(s, g, n, df).set(ReferenceCentilesTable.CENTILE, centile)
                            .set(Columns.REASON, c.reason()).row());
                }
                continue;
            }
            for (int age : c.ageGrid()) {
                double[] v = c.centileValues(age);
                for (int j = 0; j < centiles.length; j++) {
                    rows.add(referenceRow(s, g, n, df).set(Columns.AGE, age)
                            .set(ReferenceCentilesTable.CENTILE, centiles[j]).set(Columns.VALUE, v[j]).row());
                }
            }
        }
        return rows;
    }

    /** The columns a group's rows share; age, centile, value and reason are set per row. */
    private static RowBuilder referenceRow(StructureCentiles s, StructureCentiles.Group g, long n, int df) {
        return new RowBuilder(ReferenceCentilesTable.SCHEMA).set(Columns.STRUCTURE, s.structure())
                .set(Columns.METRIC, g.metric()).set(Columns.SEX, g.sex()).set(Columns.N, n)
                .set(Columns.SPLINE_DF, df).set(ReferenceCentilesTable.METHOD, CentileCurves.METHOD);
    }

    static List<Row> scoreRows(StructureCentiles s) {
        List<Row> rows = new ArrayList<>();
        for (StructureCentiles.Group g : s.groups()) {
            String reason = g.curves().reason();
            for (int i = 0; i < g.examIds().length; i++) {
                rows.add(new RowBuilder(ExamScoresTable.SCHEMA).set(Columns.EXAM_ID, g.examIds()[i])
                        .set(Columns.STRUCTURE, s.structure()).set(Columns.METRIC, g.metric()).set(Columns.SEX, g.sex())
                        .set(Columns.AGE, g.ages()[i]).set(Columns.VALUE, g.values()[i])
                        .set(ExamScoresTable.CENTILE_RANK, reason == null ? g.ranks()[i] : null)
                        .set(ExamScoresTable.Z, reason == null ? g.z()[i] : null).set(Columns.REASON, reason).row());
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
        return new RowBuilder(AgeSplineTable.SCHEMA).set(Columns.STRUCTURE, f.structure())
                .set(Columns.METRIC, f.metric()).set(Columns.STRATUM, f.stratum()).set(Columns.N, f.n())
                .set(Columns.SPLINE_DF, f.splineDf()).set(AgeSplineTable.RSS_LINEAR, f.rssLinear())
                .set(AgeSplineTable.RSS_SPLINE, f.rssSpline()).set(AgeSplineTable.F_STAT, f.fStat())
                .set(AgeSplineTable.DF_NUM, f.dfNum()).set(AgeSplineTable.DF_DEN, f.dfDen())
                .set(AgeSplineTable.P_NONLINEAR, f.pNonlinear()).set(AgeSplineTable.R2_LINEAR, f.r2Linear())
                .set(AgeSplineTable.R2_SPLINE, f.r2Spline()).set(Columns.REASON, f.reason()).row();
    }
}
