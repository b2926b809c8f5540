package io.ctcohort.analytics;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Where a run's tables are (docs/DESIGN.md "Output layout"). Commands that read a run accept
 * <ul>
 *   <li>a run folder holding {@code exams/} and {@code measurements/} (a folder inside
 *       {@code OUT/runs/} must also hold {@code _SUCCESS}: an incomplete run is refused);</li>
 *   <li>an output root: its {@code LATEST} file names the newest complete run
 *       ({@code <run_id>}, {@code runs/<run_id>} or an absolute URI);</li>
 *   <li>a flat folder holding {@code exams.parquet} and {@code measurements.parquet} files (the layout
 *       of the golden data in {@code reference/regression/}).</li>
 * </ul>
 * Everything goes through the Hadoop FileSystem API, so local paths, hdfs:// and s3a:// all work.
 */
public final class RunFolders {
    public static final String EXAMS = "exams";
    public static final String MEASUREMENTS = "measurements";
    public static final String AGE_EFFECTS = "age_effects";
    public static final String AGE_GROUPS = "age_groups";
    public static final String RUNS = "runs";
    public static final String STAGING = "staging";
    public static final String LATEST = "LATEST";
    public static final String SUCCESS = "_SUCCESS";
    public static final String FLAT_EXAMS = "exams.parquet";
    public static final String FLAT_MEASUREMENTS = "measurements.parquet";

    /** A resolved run: where its tables are and where tables derived from it are written. */
    public record Run(Path folder, Path exams, Path measurements) {
        public Path table(String name) {
            return new Path(folder, name);
        }
    }

    private RunFolders() {
    }

    public static Run resolve(String in, Configuration conf) {
        Path path = new Path(in);
        try {
            FileSystem fs = fileSystem(path, conf);
            if (!fs.exists(path)) {
                throw new AnalyticsException(in + ": no such run folder or output root");
            }
            if (fs.getFileStatus(path).isDirectory()) {
                Path exams = new Path(path, EXAMS);
                Path measurements = new Path(path, MEASUREMENTS);
                if (fs.exists(exams) && fs.exists(measurements)) {
                    if (RUNS.equals(path.getParent() == null ? null : path.getParent().getName())
                            && !fs.exists(new Path(path, SUCCESS))) {
                        throw new AnalyticsException(in + ": run folder has no " + SUCCESS
                                + " (the run is incomplete; use the output root to take its LATEST complete run)");
                    }
                    return new Run(fs.makeQualified(path), exams, measurements);
                }
                Path latest = new Path(path, LATEST);
                if (fs.exists(latest)) {
                    return latestRun(path, fs);
                }
                Path flatExams = new Path(path, FLAT_EXAMS);
                Path flatMeasurements = new Path(path, FLAT_MEASUREMENTS);
                if (fs.exists(flatExams) && fs.exists(flatMeasurements)) {
                    return new Run(fs.makeQualified(path), flatExams, flatMeasurements);
                }
            }
            throw new AnalyticsException(in + ": not a run folder (exams/ + measurements/), an output root ("
                    + LATEST + ") or a folder with " + FLAT_EXAMS + " + " + FLAT_MEASUREMENTS);
        } catch (IOException e) {
            throw new AnalyticsException(in + ": cannot read: " + e.getMessage(), e);
        }
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

    /** The run an output root's LATEST file names; it must be complete. */
    public static Run latestRun(Path root, FileSystem fs) throws IOException {
        Path latest = new Path(root, LATEST);
        String name;
        try (FSDataInputStream in = fs.open(latest);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            name = line == null ? "" : line.trim();
        }
        if (name.isEmpty()) {
            throw new AnalyticsException(latest + ": empty, names no run");
        }
        Path run;
        if (name.contains("://") || name.startsWith("/")) {
            run = new Path(name);
        } else if (name.contains("/")) {
            run = new Path(root, name);
        } else {
            run = new Path(new Path(root, RUNS), name);
        }
        if (!fs.exists(new Path(run, SUCCESS))) {
            throw new AnalyticsException(latest + " names " + run + ", which has no " + SUCCESS + " (incomplete run)");
        }
        Path exams = new Path(run, EXAMS);
        Path measurements = new Path(run, MEASUREMENTS);
        if (!fs.exists(exams) || !fs.exists(measurements)) {
            throw new AnalyticsException(run + ": run folder lacks " + EXAMS + "/ or " + MEASUREMENTS + "/");
        }
        return new Run(fs.makeQualified(run), exams, measurements);
    }
}
