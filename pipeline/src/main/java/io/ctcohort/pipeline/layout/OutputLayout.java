package io.ctcohort.pipeline.layout;

import io.ctcohort.analytics.RunFolders;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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

/**
 * The output root of a pipeline (docs/DESIGN.md "Output layout"), on any Hadoop FileSystem:
 * <pre>
 * OUT/runs/&lt;run_id&gt;/{exams,measurements}/   complete, immutable snapshots
 * OUT/runs/&lt;run_id&gt;/_SUCCESS                  written after both tables: the run is complete
 * OUT/staging/&lt;run_id&gt;/                       per-exam results of an unfinished run
 * OUT/LATEST                                   names the newest complete run; written last
 * </pre>
 * Small files (LATEST, _SUCCESS, staged results) are published atomically: on object stores a PUT
 * only becomes visible when complete; elsewhere they are written under a temporary name and renamed.
 */
public final class OutputLayout {
    // The names are analytics' (RunFolders resolves the same layout for readers).
    public static final String RUNS = RunFolders.RUNS;
    public static final String STAGING = RunFolders.STAGING;
    public static final String LATEST = RunFolders.LATEST;
    public static final String SUCCESS = RunFolders.SUCCESS;
    public static final String EXAMS = RunFolders.EXAMS;
    public static final String MEASUREMENTS = RunFolders.MEASUREMENTS;

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

    /** The run LATEST names, if that run is complete. */
    public Optional<String> latestRunId() {
        try {
            Path latest = new Path(root(), LATEST);
            if (!fs.exists(latest)) {
                return Optional.empty();
            }
            String id = readSmall(fs, latest).strip();
            if (id.isEmpty() || !isComplete(id)) {
                return Optional.empty();
            }
            return Optional.of(id);
        } catch (IOException e) {
            throw new UncheckedIOException("output " + root + ": cannot read " + LATEST, e);
        }
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
     * Marks a run complete (both tables written): its _SUCCESS, then LATEST. A write that fails
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

    public static String readSmall(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
