package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.core.layout.LockedOutput;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code catalog}: walks an archive of DICOM files on the executors, reading headers only, and
 * writes {@code OUT/series/} (Parquet, one row per series, or per unreadable file) and
 * {@code OUT/manifest.csv} (one selected series per study, which {@code segment} takes as is).
 *
 * <p>The driver lists only the archive's top folders, enough to give every executor work
 * ({@link #planUnits}); the files under each are listed and read by the task that owns it, so
 * the driver never holds the archive's file list.
 *
 * <p>What the tables hold of the archive's identifiers is {@link Deidentification}'s: pseudonyms,
 * shifted dates and top-coded ages ({@link SeriesDeidentification}); the linkage of pseudonyms to
 * originals is written only when asked for, and never inside the output folder.
 *
 * <p>{@link #runIncremental} writes one snapshot per run instead and reads headers only in new and
 * changed folders ({@link IncrementalCatalog}).
 */
public final class CatalogJob {
    /** Folders are expanded on the driver until there are this many work units per core. */
    private static final int UNITS_PER_CORE = 4;
    private static final int MAX_PLAN_DEPTH = 4;

    /**
     * Counts of a finished catalog. {@code files}, {@code dicomFiles} and {@code unreadable} count the
     * files whose headers were read; an incremental run ({@code runId} not null) also counts the
     * folders it listed, read (new or changed) and found gone, and the series rows it carried over.
     */
    public record Summary(long files, long dicomFiles, long unreadable, long series, long studies, long selected,
                          double seconds, long folders, long foldersRead, long foldersGone, long seriesCarried,
                          String runId) {
        /** A full catalog's counts. */
        public Summary(long files, long dicomFiles, long unreadable, long series, long studies, long selected,
                       double seconds) {
            this(files, dicomFiles, unreadable, series, studies, selected, seconds, 0, 0, 0, 0, null);
        }
    }

    /**
     * {@code --incremental}: how the catalog walks and locks (units of the archive at
     * {@code folderDepth}, at least 1; the output lock's policy).
     */
    public record Incremental(int folderDepth, LockPolicy lock) {
        public Incremental {
            if (folderDepth < 1) {
                throw new CtCohortException("--folder-depth must be at least 1, got " + folderDepth);
            }
        }
    }

    private final SparkSession spark;
    private final SelectionRules rules;
    private final PrintStream log;
    private final Deidentification deidentification;
    private final String linkageOut;

    /** A catalog that keeps the archive's identifiers: for use inside the data custodian's walls. */
    public CatalogJob(SparkSession spark, SelectionRules rules, PrintStream log) {
        this(spark, rules, Deidentification.KEEP, null, log);
    }

    /** @param linkageOut where the pseudonym-to-original table goes (Parquet), outside the output folder; or null */
    public CatalogJob(SparkSession spark, SelectionRules rules, Deidentification deidentification, String linkageOut,
                      PrintStream log) {
        if (linkageOut != null && !deidentification.pseudonymizes()) {
            throw new CtCohortException("--linkage-out needs --pseudonym-key: without pseudonyms there is nothing to link");
        }
        this.spark = spark;
        this.rules = rules;
        this.log = log;
        this.deidentification = deidentification;
        this.linkageOut = linkageOut;
    }

    /**
     * Catalogs {@code root} into {@code out} incrementally ({@link IncrementalCatalog}): a new
     * snapshot under {@code out/runs/}, reading headers only in new and changed folders.
     */
    public Summary runIncremental(String root, String out, Incremental options) {
        if (linkageOut != null) {
            throw new CtCohortException("--linkage-out is not supported with --incremental yet: an incremental run "
                    + "does not read the original ids of the series it carries over");
        }
        return new IncrementalCatalog(spark, rules, deidentification, options, log).run(root, out);
    }

    /** The newest complete run of an incremental catalog in {@code out} (its series/, folders/, manifest.csv). */
    public static Optional<Path> latestIncrementalRun(String out, Configuration conf) {
        return IncrementalCatalog.latestRun(out, conf);
    }

    /** Catalogs {@code root} into {@code out} under out's lock, taken as {@link LockPolicy#DEFAULT} says. */
    public Summary run(String root, String out) {
        return run(root, out, LockPolicy.DEFAULT);
    }

    /** Catalogs {@code root} into {@code out}, holding out's lock: one writer per output root, as segment. */
    public Summary run(String root, String out, LockPolicy lockPolicy) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path outPath = new Path(out);
        try {
            FileSystem fs = outPath.getFileSystem(conf);
            if (fs.exists(new Path(outPath, OutputLayout.LATEST))) {
                throw new CtCohortException(out + " holds the runs of an incremental catalog (LATEST): "
                        + "catalog it with --incremental, or into another folder");
            }
            if (linkageOut != null) {
                LinkageTable.checkOutside(linkageOut, out, conf);
            }
            try (OutputLock lock = LockedOutput.take(fs, outPath, lockPolicy, "catalog", log)) {
                return catalog(root, out, conf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("catalog " + out + ": " + e.getMessage(), e);
        }
    }

    private Summary catalog(String root, String out, Configuration conf) {
        long t0 = System.nanoTime();
        int cores = spark.sparkContext().defaultParallelism();
        List<String> units = planUnits(root, conf, cores * UNITS_PER_CORE);
        long tPlan = System.nanoTime();
        HeaderScan.Counters counters = new HeaderScan.Counters(spark.sparkContext());
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(units, Math.max(1, Math.min(units.size(), cores * UNITS_PER_CORE)))
                .flatMap(new HeaderScan(new HadoopConf(conf), counters, qualifiedRoot(root, conf)));
        spark.createDataFrame(rows, CatalogTables.FILES).createOrReplaceTempView("catalog_files");
        spark.udf().register("common_folder", (UDF2<String, String, String>) CatalogJob::commonFolder,
                DataTypes.StringType);

        String seriesPath = new Path(out, SeriesTable.NAME).toString();
        Dataset<Row> series = spark.sql(SeriesQueries.series(rules));
        if (linkageOut != null) {
            series = series.persist(StorageLevel.MEMORY_AND_DISK()); // one scan for both tables
        }
        log.println("catalog: " + deidentification.describe());
        SeriesDeidentification.apply(series, deidentification).write().mode(SaveMode.Overwrite).parquet(seriesPath);
        if (linkageOut != null) {
            LinkageTable.write(SeriesDeidentification.linkage(series, deidentification), linkageOut, conf);
            series.unpersist();
            log.println("catalog: linkage of pseudonyms to original ids -> " + linkageOut
                    + " (the data custodian's alone: never share it)");
        }
        long tScan = System.nanoTime();

        Dataset<Row> written = spark.read().parquet(seriesPath);
        written.createOrReplaceTempView("catalog_series");
        Row counts = spark.sql(SeriesQueries.COUNTS).first();
        writeManifest(spark.sql(SeriesQueries.MANIFEST), new Path(out, "manifest.csv"), conf);
        log.printf("catalog: plan %.1f s, scan and series table %.1f s, manifest %.1f s%n", (tPlan - t0) / 1e9,
                (tScan - tPlan) / 1e9, (System.nanoTime() - tScan) / 1e9);
        Summary s = new Summary(counters.files.value(), counters.dicom.value(), counters.unreadable.value(),
                counts.<Long>getAs("series"), counts.<Long>getAs("studies"), counts.<Long>getAs("selected"),
                (System.nanoTime() - t0) / 1e9);
        log.printf("catalog: %d files (%d DICOM, %d unreadable), %d series in %d studies, %d selected -> %s "
                        + "and %s (%.1f s, %.0f files/s)%n", s.files(), s.dicomFiles(), s.unreadable(), s.series(),
                s.studies(), s.selected(), seriesPath, new Path(out, "manifest.csv"), s.seconds(),
                s.files() / Math.max(1e-9, s.seconds()));
        return s;
    }

    /**
     * Work units: folders (each listed recursively by its task) and the files met while expanding
     * folders breadth-first from the root, until there are {@code target} units or the plan is
     * {@link #MAX_PLAN_DEPTH} levels deep. Only folder listings run here.
     */
    static List<String> planUnits(String root, Configuration conf, int target) {
        try {
            Path r = new Path(root);
            FileSystem fs = r.getFileSystem(conf);
            if (!fs.exists(r)) {
                throw new CtCohortException(root + ": archive root not found");
            }
            if (!fs.getFileStatus(r).isDirectory()) {
                return List.of(fs.makeQualified(r).toString());
            }
            List<String> files = new ArrayList<>();
            Deque<Path> folders = new ArrayDeque<>(List.of(fs.makeQualified(r)));
            for (int depth = 0; depth < MAX_PLAN_DEPTH && folders.size() + files.size() < target; depth++) {
                Deque<Path> next = new ArrayDeque<>();
                for (Path dir : folders) {
                    for (FileStatus child : fs.listStatus(dir)) {
                        if (child.isDirectory()) {
                            next.add(child.getPath());
                        } else {
                            files.add(child.getPath().toString());
                        }
                    }
                }
                folders = next;
                if (folders.isEmpty()) {
                    break;
                }
            }
            List<String> units = new ArrayList<>(files);
            folders.forEach(f -> units.add(f.toString()));
            return units;
        } catch (IOException e) {
            throw new CtCohortException(root + ": cannot list the archive: " + e.getMessage(), e);
        }
    }

    private static String qualifiedRoot(String root, Configuration conf) {
        try {
            Path r = new Path(root);
            FileSystem fs = r.getFileSystem(conf);
            Path q = fs.makeQualified(r);
            return fs.getFileStatus(q).isDirectory() ? q.toString() : q.getParent().toString();
        } catch (IOException e) {
            throw new CtCohortException(root + ": cannot list the archive: " + e.getMessage(), e);
        }
    }

    /** The deepest folder holding both (the folders of a series' first and last files in sort order). */
    static String commonFolder(String a, String b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) {
            i++;
        }
        return String.join("/", Arrays.copyOf(x, i));
    }

    /** One CSV file with a header, written by Spark and moved to its name (no driver-side rows). */
    static void writeManifest(Dataset<Row> manifest, Path target, Configuration conf) {
        try {
            FileSystem fs = target.getFileSystem(conf);
            Path tmp = new Path(target.getParent(), "_manifest_tmp");
            manifest.coalesce(1).write().mode(SaveMode.Overwrite).option("header", true).csv(tmp.toString());
            FileStatus[] parts = fs.globStatus(new Path(tmp, "part-*"));
            if (parts == null || parts.length != 1) {
                throw new CtCohortException(tmp + ": expected one CSV part file");
            }
            fs.delete(target, false);
            if (!fs.rename(parts[0].getPath(), target)) {
                throw new CtCohortException("cannot move " + parts[0].getPath() + " to " + target);
            }
            fs.delete(tmp, true);
        } catch (IOException e) {
            throw new CtCohortException(target + ": cannot write the manifest: " + e.getMessage(), e);
        }
    }
}
