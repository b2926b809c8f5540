package io.ctcohort.pipeline.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.layout.LockedOutput;
import io.ctcohort.core.layout.OutputLayout;
import io.ctcohort.core.layout.OutputLock;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.privacy.Deidentification;
import io.ctcohort.pipeline.privacy.Pseudonyms;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code catalog --incremental}: one immutable snapshot per run, as segment's runs
 * ({@link OutputLayout}: {@code OUT/runs/<run_id>/{series,folders,manifest.csv,_SUCCESS}}, then
 * {@code OUT/LATEST}, then a copy of the manifest at {@code OUT/manifest.csv}), written under the
 * output root's lock.
 *
 * <p>Each run lists the archive's units ({@link CatalogFolders}) and fingerprints them on the
 * executors, joins them with the previous run's {@code folders} table, and reads headers only in
 * new units and in units whose fingerprint changed. The previous run's series rows of unchanged
 * units are carried over as they were written; rows of units that are gone or changed are dropped;
 * one series per study is chosen again over the union ({@link SeriesQueries#reselect}). The driver
 * holds counts only. A killed run leaves a run folder without {@code _SUCCESS}, which readers and
 * the next run ignore: the next run starts again from LATEST, so nothing is lost or doubled.
 *
 * <p>Built by {@link CatalogJob#runIncremental} from its own settings and the run's options.
 */
record IncrementalCatalog(SparkSession spark, SelectionRules rules, Deidentification deidentification,
                          CatalogJob.Incremental options, PrintStream log) {
    /** Tests make a run fail after its tables are written and before it is published. */
    static final String FAIL_BEFORE_COMMIT_PROPERTY = "ctcohort.catalog.failBeforeCommit";
    static final String MANIFEST = "manifest.csv";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UNITS_PER_CORE = 4;

    CatalogJob.Summary run(String root, String out) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        OutputLayout layout = new OutputLayout(out, conf);
        String archive = archiveRoot(root, conf);
        try (OutputLock lock = LockedOutput.take(layout.fs(), layout.root(), options.lock(), "catalog", log)) {
            String runId = layout.newRunId();
            lock.runId(runId);
            return catalog(archive, layout, runId, lock, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("catalog " + out + ": " + e.getMessage(), e);
        }
    }

    private CatalogJob.Summary catalog(String archive, OutputLayout layout, String runId, OutputLock lock,
                                       Configuration conf) throws IOException {
        long t0 = System.nanoTime();
        int depth = options.folderDepth();
        String basis = basis(archive);
        Optional<String> previous = usablePrevious(layout, basis);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, spark.sparkContext().defaultParallelism() * UNITS_PER_CORE);
        HadoopConf hadoop = new HadoopConf(conf);

        // The plan, on the executors: list and fingerprint the units, join them with the last run's.
        JavaRDD<Row> listing = CatalogFolders.units(jsc, hadoop, archive, depth, partitions)
                .map(unit -> CatalogFolders.fingerprint(hadoop, unit));
        Dataset<Row> current = spark.createDataFrame(listing, CatalogFolders.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        current.createOrReplaceTempView("catalog_listing");
        Dataset<Row> before = previous.isPresent()
                ? spark.read().schema(CatalogFolders.SCHEMA).parquet(layout.table(previous.get(), CatalogFolders.NAME).toString())
                : spark.createDataFrame(List.of(), CatalogFolders.SCHEMA);
        before.createOrReplaceTempView("catalog_previous_folders");
        Dataset<Row> plan = spark.sql("""
                SELECT c.folder, c.fingerprint, c.files, c.bytes,
                  CASE WHEN p.folder IS NULL THEN 'new' WHEN c.fingerprint = p.fingerprint THEN 'same' ELSE 'changed' END
                    AS state
                FROM catalog_listing c LEFT JOIN catalog_previous_folders p ON c.folder = p.folder
                """).persist(StorageLevel.MEMORY_AND_DISK());
        plan.createOrReplaceTempView("catalog_plan");
        // Counts only, in one job: listed, new, changed, headers to read, and gone (in the last run, not listed).
        Row planned = spark.sql("""
                SELECT count(c.folder) AS listed, count_if(c.folder IS NOT NULL AND p.folder IS NULL) AS new_folders,
                  count_if(c.folder IS NOT NULL AND p.folder IS NOT NULL AND NOT coalesce(c.fingerprint = p.fingerprint, false))
                    AS changed,
                  coalesce(sum(CASE WHEN NOT coalesce(c.fingerprint = p.fingerprint, false) THEN c.files END), 0)
                    AS files_to_read,
                  count_if(c.folder IS NULL) AS gone
                FROM catalog_listing c FULL OUTER JOIN catalog_previous_folders p ON c.folder = p.folder
                """).first();
        long listed = planned.<Long>getAs("listed");
        long added = planned.<Long>getAs("new_folders");
        long changed = planned.<Long>getAs("changed");
        long gone = planned.<Long>getAs("gone");
        long toRead = added + changed;
        long tPlan = System.nanoTime();
        log.printf("catalog: %d folders listed: %d new, %d changed, %d unchanged (carried over), %d gone; "
                        + "reading the headers of %d files (plan %.1f s)%n", listed, added, changed,
                listed - added - changed, gone, planned.<Long>getAs("files_to_read"), (tPlan - t0) / 1e9);

        // Headers of the new and changed units only.
        registerFunctions(archive, depth);
        HeaderScan.Counters counters = new HeaderScan.Counters(spark.sparkContext());
        JavaRDD<Row> files = toRead == 0 ? jsc.emptyRDD()
                : spark.sql("SELECT folder FROM catalog_plan WHERE state <> 'same'").javaRDD().map(r -> r.<String>getAs("folder"))
                        .repartition((int) Math.min(partitions, toRead)).flatMap(new HeaderScan(hadoop, counters, archive));
        Dataset<Row> scanned = spark.createDataFrame(files, CatalogTables.FILES).persist(StorageLevel.MEMORY_AND_DISK());
        scanned.createOrReplaceTempView("catalog_files");
        // Nothing to read (a no-op night): no grouping, no span search, no stages over empty data.
        Dataset<Row> fresh = toRead == 0 ? spark.createDataFrame(List.of(), SeriesTable.SCHEMA)
                : SeriesDeidentification.apply(spark.sql(SeriesQueries.series(rules)), deidentification);
        (toRead == 0 ? spark.createDataFrame(List.of(), SPANNING_SCHEMA) : spark.sql(SPANNING))
                .createOrReplaceTempView("catalog_spanning");

        Dataset<Row> carried = previous.isPresent()
                ? spark.read().parquet(layout.table(previous.get(), SeriesTable.NAME).toString())
                : spark.createDataFrame(List.of(), SeriesTable.SCHEMA);
        carried.createOrReplaceTempView("catalog_previous_series");
        spark.sql("""
                SELECT s.* FROM catalog_previous_series s
                LEFT SEMI JOIN (SELECT folder FROM catalog_plan WHERE state = 'same') u
                  ON catalog_series_unit(s.image_uri, s.error) = u.folder
                """).createOrReplaceTempView("catalog_carried");
        spark.table("catalog_carried").unionByName(fresh).createOrReplaceTempView("catalog_union");

        log.println("catalog: " + deidentification.describe());
        Path seriesPath = layout.table(runId, SeriesTable.NAME);
        spark.sql(SeriesQueries.reselect(rules, "catalog_union")).write().mode(SaveMode.Overwrite)
                .parquet(seriesPath.toString());
        // A unit holding part of a series that spans units gets no fingerprint: read again every run.
        spark.sql("""
                SELECT p.folder, CASE WHEN s.folder IS NULL THEN p.fingerprint END AS fingerprint, p.files, p.bytes
                FROM catalog_plan p LEFT JOIN (SELECT DISTINCT folder FROM catalog_spanning) s ON p.folder = s.folder
                """).write().mode(SaveMode.Overwrite).parquet(layout.table(runId, CatalogFolders.NAME).toString());
        long spanning = toRead == 0 ? 0
                : spark.sql("SELECT count(DISTINCT folder) AS n FROM catalog_spanning").first().<Long>getAs("n");
        if (spanning > 0) {
            log.println("catalog: warning: " + spanning + " folders hold parts of series that span folders at depth "
                    + depth + "; they are read again on every run (a deeper or shallower --folder-depth may fit the archive)");
        }
        long tScan = System.nanoTime();

        spark.read().parquet(seriesPath.toString()).createOrReplaceTempView("catalog_series");
        Row counts = spark.sql(SeriesQueries.COUNTS).first();
        long carriedRows = spark.sql("SELECT count(*) AS n FROM catalog_carried").first().<Long>getAs("n");
        Path manifest = layout.table(runId, MANIFEST);
        CatalogJob.writeManifest(spark.sql(SeriesQueries.MANIFEST), manifest, conf);
        CatalogJob.Summary s = new CatalogJob.Summary(counters.files.value(), counters.dicom.value(),
                counters.unreadable.value(), counts.<Long>getAs("series"), counts.<Long>getAs("studies"),
                counts.<Long>getAs("selected"), (System.nanoTime() - t0) / 1e9, listed, toRead, gone,
                carriedRows, runId);
        if (Boolean.getBoolean(FAIL_BEFORE_COMMIT_PROPERTY)) {
            throw new CtCohortException("catalog: failure injected before run " + runId + " was published ("
                    + FAIL_BEFORE_COMMIT_PROPERTY + ")");
        }

        lock.checkHeld();
        layout.commit(runId, successJson(s, basis));
        publishManifest(layout, manifest);
        layout.prune(Integer.MAX_VALUE); // only run folders of dead jobs (no _SUCCESS, older than this run)
        scanned.unpersist();
        plan.unpersist();
        current.unpersist();
        log.printf("catalog: scan, series and folders tables %.1f s, manifest and publishing %.1f s%n",
                (tScan - tPlan) / 1e9, (System.nanoTime() - tScan) / 1e9);
        log.printf("catalog: run %s: %d files read (%d DICOM, %d unreadable), %d series rows carried over; "
                        + "%d series in %d studies, %d selected -> %s (%.1f s)%n", runId, s.files(), s.dicomFiles(),
                s.unreadable(), s.seriesCarried(), s.series(), s.studies(), s.selected(), layout.runDir(runId),
                (System.nanoTime() - t0) / 1e9);
        return s;
    }

    /** Units that hold a file of a series whose files lie in more than one unit, and the unit its folder names. */
    private static final String SPANNING = """
            WITH units AS (
              SELECT study_instance_uid, series_instance_uid, folder, catalog_unit(file, false) AS unit
              FROM catalog_files WHERE dicom AND error IS NULL AND series_instance_uid IS NOT NULL
            ), spanning AS (
              SELECT study_instance_uid, series_instance_uid,
                catalog_unit(common_folder(min(folder), max(folder)), true) AS unit
              FROM units GROUP BY study_instance_uid, series_instance_uid HAVING count(DISTINCT unit) > 1
            )
            SELECT DISTINCT u.unit AS folder FROM units u JOIN spanning s
              ON u.study_instance_uid <=> s.study_instance_uid AND u.series_instance_uid = s.series_instance_uid
            UNION SELECT unit AS folder FROM spanning
            """;

    private static final StructType SPANNING_SCHEMA = new StructType()
            .add(CatalogFolders.FOLDER, DataTypes.StringType);

    private void registerFunctions(String archive, int depth) {
        spark.udf().register("common_folder", (UDF2<String, String, String>) CatalogJob::commonFolder,
                DataTypes.StringType);
        spark.udf().register("catalog_unit", (UDF2<String, Boolean, String>) (path, folder)
                -> CatalogFolders.unitOf(archive, depth, path, folder), DataTypes.StringType);
        spark.udf().register("catalog_series_unit", (UDF2<String, String, String>) (uri, error)
                -> CatalogFolders.unitOfSeries(archive, depth, uri, error), DataTypes.StringType);
    }

    /**
     * What carried rows depend on besides the files: the archive, the units' depth and how ids were
     * written (a key check: the pseudonym of a fixed text, which tells keys apart and reveals nothing).
     * A previous run with another basis is not carried from: everything is read again.
     */
    private String basis(String archive) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("archive", archive);
        b.put("folder_depth", options.folderDepth());
        b.put("identifiers", deidentification.label());
        b.put("dates", String.valueOf(deidentification.dates()));
        b.put("key_check", deidentification.pseudonymizes()
                ? deidentification.id(Pseudonyms.Kind.EXAM, "ctcohort:key-check") : null);
        try {
            return JSON.writeValueAsString(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<String> usablePrevious(OutputLayout layout, String basis) throws IOException {
        Optional<String> latest = layout.latestRunId();
        if (latest.isEmpty()) {
            log.println("catalog: no previous complete run in " + layout.root() + ": every folder is read");
            return latest;
        }
        JsonNode success = JSON.readTree(OutputLayout.readSmall(layout.fs(),
                new Path(layout.runDir(latest.get()), OutputLayout.SUCCESS)));
        JsonNode was = success.get("basis");
        if (was == null || !JSON.readTree(basis).equals(was)
                || !layout.fs().exists(layout.table(latest.get(), CatalogFolders.NAME))) {
            log.println("catalog: the previous run " + latest.get() + " was made with another archive, --folder-depth, "
                    + "key or identifier policy: every folder is read again");
            return Optional.empty();
        }
        log.println("catalog: previous run " + latest.get() + ": only new and changed folders are read");
        return latest;
    }

    private static String successJson(CatalogJob.Summary s, String basis) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", s.runId());
        json.put("folders", s.folders());
        json.put("folders_read", s.foldersRead());
        json.put("folders_gone", s.foldersGone());
        json.put("files_read", s.files());
        json.put("series_carried_over", s.seriesCarried());
        json.put("series", s.series());
        json.put("studies", s.studies());
        json.put("selected", s.selected());
        json.put("basis", JSON.readTree(basis));
        return JSON.writeValueAsString(json) + "\n";
    }

    /**
     * {@code OUT/manifest.csv}, for commands that take a fixed path: the run's manifest, copied
     * under a temporary name and renamed (on object stores one PUT, visible only when complete).
     */
    private static void publishManifest(OutputLayout layout, Path manifest) throws IOException {
        FileSystem fs = layout.fs();
        Path target = new Path(layout.root(), MANIFEST);
        if (layout.isObjectStore()) {
            FileUtil.copy(fs, manifest, fs, target, false, true, fs.getConf());
            return;
        }
        Path tmp = new Path(layout.root(), "_tmp." + MANIFEST + "." + UUID.randomUUID());
        FileUtil.copy(fs, manifest, fs, tmp, false, true, fs.getConf());
        if (!fs.rename(tmp, target)) {
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        }
    }

    /** The latest complete run of an incremental catalog in {@code out}, or empty. */
    static Optional<Path> latestRun(String out, Configuration conf) {
        OutputLayout layout = new OutputLayout(out, conf);
        return layout.latestRunId().map(layout::runDir);
    }

    private static String archiveRoot(String root, Configuration conf) {
        try {
            Path r = new Path(root);
            FileSystem fs = r.getFileSystem(conf);
            if (!fs.exists(r) || !fs.getFileStatus(r).isDirectory()) {
                throw new CtCohortException(root + ": --incremental needs an archive folder (not found, or a file)");
            }
            return fs.makeQualified(r).toString();
        } catch (IOException e) {
            throw new CtCohortException(root + ": cannot list the archive: " + e.getMessage(), e);
        }
    }
}
