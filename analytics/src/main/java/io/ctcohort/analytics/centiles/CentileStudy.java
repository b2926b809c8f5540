package io.ctcohort.analytics.centiles;

import io.ctcohort.analytics.PassedRowReader;
import io.ctcohort.analytics.PhasePlan;
import io.ctcohort.analytics.Subject;
import io.ctcohort.core.tables.AgeSplineTable;
import io.ctcohort.core.tables.ExamScoresTable;
import io.ctcohort.core.tables.ReferenceCentilesTable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The centile pass over the age study's QC output ({@code QualityControl}: one row per passing
 * measurement with structure, exam_id, age, sex, volume_ml, hu_mean and cov_0.. for the covariates):
 * one groupByKey(structure) fits every structure's curves, scores its exams and (with --age-spline) its
 * F tests on the executors; the per-structure results stay cached so that the three tables and the
 * report's chart data come from one computation. Call {@link Result#release()} when done.
 */
public final class CentileStudy {

    /**
     * The pass's outputs, lazily derived from the cached per-structure results.
     *
     * @param referenceCentiles null when centiles are off
     * @param examScores        null when centiles are off
     * @param ageSpline         null without --age-spline
     */
    public record Result(Dataset<StructureCentiles> perStructure, Dataset<Row> referenceCentiles,
                         Dataset<Row> examScores, Dataset<Row> ageSpline, CentileOptions options) {
        /** The report's data, one chart per measured structure, by structure name (biomarkers: tables only). */
        public List<CentileChart> charts() {
            List<CentileChart> charts = new ArrayList<>(perStructure
                    .filter((org.apache.spark.api.java.function.FilterFunction<StructureCentiles>) s -> !s.biomarker())
                    .map((MapFunction<StructureCentiles, CentileChart>) StructureCentiles::chart,
                            Encoders.javaSerialization(CentileChart.class))
                    .collectAsList());
            charts.sort(Comparator.comparing(CentileChart::structure));
            return charts;
        }

        /** The F tests of --age-spline (empty without), sorted by structure, metric, stratum. */
        public List<AgeSplineFit> ageSplineFits() {
            List<AgeSplineFit> fits = new ArrayList<>(perStructure
                    .flatMap((FlatMapFunction<StructureCentiles, AgeSplineFit>) s -> s.ageSplines().iterator(),
                            Encoders.javaSerialization(AgeSplineFit.class))
                    .collectAsList());
            fits.sort(Comparator.comparing(AgeSplineFit::structure).thenComparing(AgeSplineFit::metric)
                    .thenComparing(AgeSplineFit::stratum));
            return fits;
        }

        /** Writes the tables (Parquet, overwriting) into the folder; returns the names written. */
        public List<String> write(Path tablesDir) {
            List<String> written = new ArrayList<>();
            if (referenceCentiles != null) {
                referenceCentiles.write().mode(SaveMode.Overwrite)
                        .parquet(new Path(tablesDir, ReferenceCentilesTable.NAME).toString());
                examScores.write().mode(SaveMode.Overwrite).parquet(new Path(tablesDir, ExamScoresTable.NAME).toString());
                written.add(ReferenceCentilesTable.NAME);
                written.add(ExamScoresTable.NAME);
            }
            if (ageSpline != null) {
                ageSpline.write().mode(SaveMode.Overwrite).parquet(new Path(tablesDir, AgeSplineTable.NAME).toString());
                written.add(AgeSplineTable.NAME);
            }
            return written;
        }

        public void release() {
            perStructure.unpersist();
        }
    }

    private CentileStudy() {
    }

    /**
     * @param passed the QC output (see class comment); read by column name
     * @param nCovariates how many cov_i columns it carries (the study's covariates, in order)
     */
    public static Result run(SparkSession spark, Dataset<Row> passed, int nCovariates, CentileOptions options) {
        return run(spark, passed, null, nCovariates, options, PhasePlan.none());
    }

    /**
     * @param biomarkers the biomarkers' QC output (null: none), one group per (site, biomarker)
     * @param phases     the study's phase plan: which exams enter attenuation metrics' centiles
     */
    public static Result run(SparkSession spark, Dataset<Row> passed, Dataset<Row> biomarkers, int nCovariates,
                             CentileOptions options, PhasePlan phases) {
        Dataset<StructureCentiles> per = perGroup(passed, nCovariates, options, phases);
        if (biomarkers != null) {
            per = per.union(perGroup(biomarkers, nCovariates, options, phases));
        }
        per = per.cache();
        Dataset<Row> reference = null;
        Dataset<Row> scores = null;
        if (options.enabled()) {
            reference = per.flatMap((FlatMapFunction<StructureCentiles, Row>) s -> CentileTables.referenceRows(s).iterator(),
                    Encoders.row(ReferenceCentilesTable.SCHEMA));
            scores = per.flatMap((FlatMapFunction<StructureCentiles, Row>) s -> CentileTables.scoreRows(s).iterator(),
                    Encoders.row(ExamScoresTable.SCHEMA));
        }
        Dataset<Row> spline = options.ageSplineDf() > 0
                ? per.flatMap((FlatMapFunction<StructureCentiles, Row>) s -> CentileTables.ageSplineRows(s).iterator(),
                Encoders.row(AgeSplineTable.SCHEMA))
                : null;
        return new Result(per, reference, scores, spline, options);
    }

    private static Dataset<StructureCentiles> perGroup(Dataset<Row> passed, int nCovariates, CentileOptions options,
                                                       PhasePlan phases) {
        PassedRowReader reader = PassedRowReader.of(passed.schema(), nCovariates);
        PerStructure pass = new PerStructure(options, reader, phases);
        return passed.groupByKey((MapFunction<Row, String>) reader::groupKey, Encoders.STRING())
                .mapGroups((MapGroupsFunction<String, Row, StructureCentiles>) pass::apply,
                        Encoders.javaSerialization(StructureCentiles.class));
    }

    /** The executor side: one group's QC rows in, its curves, scores and F tests out. */
    private record PerStructure(CentileOptions options, PassedRowReader reader, PhasePlan phases)
            implements Serializable {
        StructureCentiles apply(String key, Iterator<Row> rows) {
            List<StructureCentiles.Exam> exams = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                Subject s = reader.subject(r);
                exams.add(new StructureCentiles.Exam(reader.examId(r), s.age(), s.sex(), s.values(), s.covariates(),
                        s.phase()));
            }
            // a fixed order, whatever order the shuffle delivered: fits and row order are reproducible
            exams.sort(Comparator.comparing(StructureCentiles.Exam::examId, Comparator.nullsFirst(Comparator.naturalOrder())));
            return StructureCentiles.compute(reader.group(key), exams, options, phases);
        }
    }
}
