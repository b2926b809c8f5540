package io.ctcohort.core.layout;

import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The output root (docs/DESIGN.md "Output layout"), on any Hadoop FileSystem: the one place that
 * names its folders and reads LATEST, for the jobs that write runs and the commands that read them.
 * <pre>
 * OUT/runs/&lt;run_id&gt;/{exams,measurements,biomarkers}/   complete, immutable snapshots
 * OUT/runs/&lt;run_id&gt;/_SUCCESS                  written after the tables: the run is complete
 * OUT/staging/&lt;run_id&gt;/                       per-exam results of an unfinished run
 * OUT/LATEST                                   names the newest complete run; written last
 * </pre>
 * Small files (LATEST, _SUCCESS, staged results) are published atomically: on object stores a PUT
 * only becomes visible when complete; elsewhere they are written under a temporary name and renamed.
 * <p>Readers ({@link #resolve}) accept
 * <ul>
 *   <li>a run folder holding {@code exams/} and {@code measurements/} (a folder inside
 *       {@code OUT/runs/} must also hold {@code _SUCCESS}: an incomplete run is refused);</li>
 *   <li>an output root: its {@code LATEST} file names the newest complete run
 *       ({@code <run_id>}, {@code runs/<run_id>} or an absolute URI);</li>
 *   <li>a flat folder holding {@code exams.parquet} and {@code measurements.parquet} files (the layout
 *       of the golden data in {@code reference/regression/}).</li>
 * </ul>
 */
public final class OutputLayout {
    public static final String RUNS = "runs", STAGING = "staging", LATEST = "LATEST", SUCCESS = "_SUCCESS";
    /** A flat folder's tables are single files: {@code exams.parquet}, {@code measurements.parquet}. */
    public static final String FLAT_SUFFIX = ".parquet";
    // The tables every segment and measure run writes (derived tables sit beside them under their own
    // NAME). A run written before biomarkers existed has no biomarkers/ folder: readers treat it as empty.
    public static final String EXAMS = ExamsTable.NAME;
    public static final String MEASUREMENTS = MeasurementsTable.NAME;
    public static final String BIOMARKERS = BiomarkersTable.NAME;
    /** Empty where no exam had a reference; a run written before validation has no validation/ folder. */
    public static final String VALIDATION = io.ctcohort.core.tables.ValidationTable.NAME;

    /** A resolved run: where its tables are and where tables derived from it are written. */
    public record Run(Path folder, Path exams, Path measurements) {
        public Path table(String name) {
            return new Path(folder, name);
        }
    }

    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path root;
    private final FileSystem fs;

    public OutputLayout(String root, Configuration conf) {
        try {
            this.root = new Path(root);
            this.fs = this.root.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("output " + root + ": " + e.getMessage(), e);
        }
    }

    public FileSystem fs() {
        return fs;
    }

    public Path root() {
        return fs.makeQualified(root);
    }

    public Path runDir(String runId) {
        return new Path(root(), RUNS + "/" + runId);
    }

    public Path table(String runId, String table) {
        return new Path(runDir(runId), table);
    }

    public Path stagingDir(String runId) {
        return new Path(root(), STAGING + "/" + runId);
    }

    /** True on stores where a PUT is atomic and rename is a slow copy (S3A, GCS, Azure blob). */
    public boolean isObjectStore() {
        String scheme = root().toUri().getScheme();
        return scheme != null && (scheme.startsWith("s3") || scheme.equals("gs") || scheme.startsWith("wasb")
                || scheme.startsWith("abfs") || scheme.equals("oss"));
    }

    /** The run LATEST names, if it is a complete run of this root (else a job starts afresh). */
    public Optional<String> latestRunId() {
        try {
            Path latest = new Path(root(), LATEST);
            if (!fs.exists(latest)) {
                return Optional.empty();
            }
            Path run = runNamedBy(root(), readFirstLine(fs, latest));
            if (run == null || !fs.makeQualified(run).getParent().equals(new Path(root(), RUNS))
                    || !isComplete(run.getName())) {
                return Optional.empty();
            }
            return Optional.of(run.getName());
        } catch (IOException e) {
            throw new UncheckedIOException("output " + root + ": cannot read " + LATEST, e);
        }
    }

    /**
     * The one rule for reading LATEST: its first line, trimmed, is a run id (under {@code runs/}),
     * a path relative to the root ({@code runs/<run_id>}) or an absolute path or URI; null if empty.
     */
    static Path runNamedBy(Path root, String line) {
        String name = line == null ? "" : line.trim();
        if (name.isEmpty()) {
            return null;
        }
        if (name.contains("://") || name.startsWith("/")) {
            return new Path(name);
        }
        return name.contains("/") ? new Path(root, name) : new Path(new Path(root, RUNS), name);
    }

    public boolean isComplete(String runId) throws IOException {
        return fs.exists(new Path(runDir(runId), SUCCESS));
    }

    /** Complete runs, oldest first. */
    public List<String> completeRuns() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String id : children(new Path(root(), RUNS))) {
            if (isComplete(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Staging folders of unfinished runs, oldest first. */
    public List<String> unfinishedStaging() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String id : children(new Path(root(), STAGING))) {
            if (!isComplete(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private List<String> children(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
                    names.add(name);
                }
            }
        } catch (FileNotFoundException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    /** A new run id: the UTC time in milliseconds, always after every existing run. */
    public String newRunId() throws IOException {
        String id = RUN_ID.format(Instant.now());
        List<String> existing = new ArrayList<>(children(new Path(root(), RUNS)));
        existing.addAll(children(new Path(root(), STAGING)));
        for (String e : existing) {
            if (e.compareTo(id) >= 0) {
                id = RUN_ID.format(Instant.from(RUN_ID.parse(e)).plusMillis(1));
            }
        }
        return id;
    }

    /**
     * Marks a run complete (its tables written): its _SUCCESS, then LATEST. A write that fails
     * (after the store's retries) leaves LATEST on the previous run; the message says so.
     */
    public void commit(String runId, String successJson) throws IOException {
        Path success = new Path(runDir(runId), SUCCESS);
        Path latest = new Path(root(), LATEST);
        for (Path p : List.of(success, latest)) {
            byte[] data = (p == success ? successJson : runId + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                writeAtomically(p, data);
            } catch (IOException e) {
                throw new IOException("run " + runId + " not published: cannot write " + p + " (" + e.getMessage()
                        + "); " + LATEST + " still names the previous complete run; run the job again to publish",
                        e);
            }
        }
    }

    /**
     * After a commit, deletes this run's staging folder and those of older runs: under the output
     * lock those belong to dead jobs (a live one would hold the lock). A newer folder is left alone.
     */
    public void clearStaging(String runId) throws IOException {
        for (String id : children(new Path(root(), STAGING))) {
            if (id.compareTo(runId) <= 0) {
                fs.delete(stagingDir(id), true);
            }
        }
    }

    /**
     * Keeps the newest {@code keep} complete runs (and LATEST's run always); deletes older runs and
     * incomplete run folders older than the newest complete run. Returns the deleted run ids.
     */
    public List<String> prune(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("--keep-runs must be at least 1, got " + keep);
        }
        List<String> complete = completeRuns();
        Optional<String> latest = latestRunId();
        List<String> deleted = new ArrayList<>();
        if (complete.isEmpty()) {
            return deleted;
        }
        String newest = complete.get(complete.size() - 1);
        List<String> keepIds = complete.subList(Math.max(0, complete.size() - keep), complete.size());
        for (String id : children(new Path(root(), RUNS))) {
            boolean old = id.compareTo(newest) < 0;
            if (old && !keepIds.contains(id) && !latest.map(id::equals).orElse(false)) {
                fs.delete(runDir(id), true);
                deleted.add(id);
            }
        }
        return deleted;
    }

    public void writeAtomically(Path target, byte[] data) throws IOException {
        writeAtomically(fs, target, data, isObjectStore());
    }

    /** Writes a small file so that readers see either nothing or all of it. */
    public static void writeAtomically(FileSystem fs, Path target, byte[] data, boolean objectStore)
            throws IOException {
        if (objectStore) {
            try (OutputStream out = fs.create(target, true)) {
                out.write(data);
            }
            return;
        }
        Path tmp = new Path(target.getParent(), "_tmp." + target.getName() + "." + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(data);
        }
        // HDFS rename refuses to replace; a reader between delete and rename sees "missing", never partial.
        if (!fs.rename(tmp, target)) {
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        }
    }

    /** Where {@code in} (a run folder, an output root or a flat folder, see above) has its tables. */
    public static Run resolve(String in, Configuration conf) {
        Path path = new Path(in);
        try {
            FileSystem fs = fileSystem(path, conf);
            if (!fs.exists(path)) {
                throw new InvalidRunException(in + ": no such run folder or output root");
            }
            if (fs.getFileStatus(path).isDirectory()) {
                Path exams = new Path(path, EXAMS);
                Path measurements = new Path(path, MEASUREMENTS);
                if (fs.exists(exams) && fs.exists(measurements)) {
                    if (RUNS.equals(path.getParent() == null ? null : path.getParent().getName())
                            && !fs.exists(new Path(path, SUCCESS))) {
                        throw new InvalidRunException(in + ": run folder has no " + SUCCESS
                                + " (the run is incomplete; use the output root to take its LATEST complete run)");
                    }
                    return new Run(fs.makeQualified(path), exams, measurements);
                }
                if (fs.exists(new Path(path, LATEST))) {
                    return latestRun(path, fs);
                }
                Path flatExams = new Path(path, EXAMS + FLAT_SUFFIX);
                Path flatMeasurements = new Path(path, MEASUREMENTS + FLAT_SUFFIX);
                if (fs.exists(flatExams) && fs.exists(flatMeasurements)) {
                    return new Run(fs.makeQualified(path), flatExams, flatMeasurements);
                }
            }
            throw new InvalidRunException(in + ": not a run folder (exams/ + measurements/), an output root ("
                    + LATEST + ") or a folder with " + EXAMS + FLAT_SUFFIX + " + " + MEASUREMENTS + FLAT_SUFFIX);
        } catch (IOException e) {
            throw new InvalidRunException(in + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The output root {@code folder} belongs to, whose lock a writer into it holds: OUT for a run
     * folder OUT/runs/&lt;run_id&gt;, else the folder itself (a flat folder, analyze's --tables-out).
     */
    public static Path rootOf(Path folder) {
        Path parent = folder.getParent();
        return parent != null && RUNS.equals(parent.getName()) && parent.getParent() != null
                ? parent.getParent() : folder;
    }

    /** The run an output root's LATEST file names; it must be complete. */
    public static Run latestRun(Path root, FileSystem fs) throws IOException {
        Path latest = new Path(root, LATEST);
        Path run = runNamedBy(root, readFirstLine(fs, latest));
        if (run == null) {
            throw new InvalidRunException(latest + ": empty, names no run");
        }
        if (!fs.exists(new Path(run, SUCCESS))) {
            throw new InvalidRunException(latest + " names " + run + ", which has no " + SUCCESS + " (incomplete run)");
        }
        Path exams = new Path(run, EXAMS);
        Path measurements = new Path(run, MEASUREMENTS);
        if (!fs.exists(exams) || !fs.exists(measurements)) {
            throw new InvalidRunException(run + ": run folder lacks " + EXAMS + "/ or "
                    + MEASUREMENTS + "/");
        }
        return new Run(fs.makeQualified(run), exams, measurements);
    }

    /**
     * The file system of a path. A local path gets Hadoop's raw local file system directly: the same
     * files, without the checksum layer and the user and security set-up that {@code FileSystem.get}
     * goes through first (half a second of a short run).
     */
    public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        if (!isLocal(path, conf)) {
            return path.getFileSystem(conf);
        }
        RawLocalFileSystem fs = new RawLocalFileSystem();
        fs.initialize(URI.create("file:///"), conf);
        return fs;
    }

    /** A file: URI, or a path without scheme while the default file system is the local one. */
    public static boolean isLocal(Path path, Configuration conf) {
        String scheme = path.toUri().getScheme();
        if (scheme == null) {
            scheme = FileSystem.getDefaultUri(conf).getScheme();
        }
        return "file".equals(scheme);
    }

    private static String readFirstLine(FileSystem fs, Path p) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
            return reader.readLine();
        }
    }

    public static String readSmall(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
