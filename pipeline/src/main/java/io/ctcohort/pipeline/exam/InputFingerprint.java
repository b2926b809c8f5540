package io.ctcohort.pipeline.exam;

import java.io.FileNotFoundException;
import java.io.IOException;
import io.ctcohort.engine.input.ImageRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What identifies an input file (or DICOM series folder) without reading it: {@code size=<bytes>;mtime=<ms>} plus
 * {@code ;etag=<etag>} where the store has one (S3A: the object's ETag, an MD5 of its content for
 * single-part uploads). Files are taken from a listing of their folder where the manifest names
 * several files of one folder (one LIST per 1,000 objects on S3 instead of a HEAD per file), else
 * from one metadata call each; done on the driver with a few threads, so 100,000 exams are
 * fingerprinted in seconds without reading terabytes.
 * A change that keeps both size and modification time (and has no ETag) goes unnoticed, as with
 * rsync's default check; re-run without --incremental to force.
 */
public final class InputFingerprint {
    /** A missing or unreadable file: never equal to a published fingerprint, so always processed (and failed). */
    public static final String MISSING = "missing";

    /** Fingerprint and size of one URI. */
    public record Stat(String fingerprint, long size) {
    }

    private InputFingerprint() {
    }

    /** The fingerprint of the file or folder {@code ref} names (its series UID plays no part). */
    public static Stat of(ImageRef ref, Configuration conf) {
        try {
            Path p = new Path(ref.location());
            FileSystem fs = p.getFileSystem(conf);
            FileStatus s = fs.getFileStatus(p);
            if (s.isDirectory()) {
                return ofFolder(fs, p);
            }
            return new Stat(fileFingerprint(s), s.getLen());
        } catch (FileNotFoundException e) {
            return new Stat(MISSING, 0);
        } catch (IOException | IllegalArgumentException e) {
            return new Stat(MISSING, 0);
        }
    }

    /** Folders the manifest names fewer files of are not listed: they may hold many other files. */
    static final int LIST_MIN_FILES = 8;

    private static Path parentOf(ImageRef ref) {
        try {
            return new Path(ref.location()).getParent();
        } catch (IllegalArgumentException e) {
            return null; // of() turns it into MISSING
        }
    }

    private static void fillFromFolder(Path folder, List<Integer> indices, List<ImageRef> uris, Configuration conf,
                                       Stat[] out) {
        Map<String, FileStatus> listing = null;
        if (indices.size() >= LIST_MIN_FILES) {
            try {
                FileSystem fs = folder.getFileSystem(conf);
                listing = new HashMap<>();
                for (FileStatus s : fs.listStatus(folder)) {
                    listing.put(s.getPath().getName(), s);
                }
                for (int i : indices) {
                    Path p = new Path(uris.get(i).location());
                    FileStatus s = listing.get(p.getName());
                    out[i] = s == null ? new Stat(MISSING, 0)
                            : s.isDirectory() ? ofFolder(fs, s.getPath()) : new Stat(fileFingerprint(s), s.getLen());
                }
                return;
            } catch (IOException | IllegalArgumentException e) {
                // an unlistable folder: look each file up alone (a missing one becomes MISSING there)
            }
        }
        for (int i : indices) {
            out[i] = of(uris.get(i), conf);
        }
    }

    private static String fileFingerprint(FileStatus s) {
        StringBuilder fp = new StringBuilder("size=").append(s.getLen()).append(";mtime=").append(s.getModificationTime());
        if (s instanceof EtagSource e && e.getEtag() != null && !e.getEtag().isEmpty()) {
            fp.append(";etag=").append(e.getEtag());
        }
        return fp.toString();
    }

    /**
     * A DICOM series folder: {@code files=<n>;size=<total bytes>;digest=<sha256 of every file's
     * relative name and fingerprint>}, so that an added, removed or rewritten slice re-processes the
     * exam. Folder listings only ({@link FileWalk}), no file is opened.
     */
    private static Stat ofFolder(FileSystem fs, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        long total = 0;
        String prefix = fs.makeQualified(dir).toString();
        FileWalk it = new FileWalk(fs, dir);
        while (it.hasNext()) {
            FileStatus f = it.next();
            total += f.getLen();
            lines.add(f.getPath().toString().substring(Math.min(prefix.length(), f.getPath().toString().length()))
                    + " " + fileFingerprint(f));
        }
        Collections.sort(lines);
        return new Stat("files=" + lines.size() + ";size=" + total + ";digest="
                + ModelIdentity.sha256Hex(String.join("\n", lines)), total);
    }

    /**
     * Fingerprints many URIs with a small thread pool (metadata calls are latency-bound): a folder
     * holding at least {@link #LIST_MIN_FILES} of them is listed once, other URIs are looked up alone.
     * Both give the same fingerprint (a listing returns the same status, ETag included on S3A).
     */
    public static List<Stat> ofAll(List<ImageRef> uris, Configuration conf, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "ctcohort-fingerprint");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Path, List<Integer>> byFolder = new LinkedHashMap<>();
            Stat[] out = new Stat[uris.size()];
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < uris.size(); i++) {
                Path folder = uris.get(i) == null ? null : parentOf(uris.get(i));
                if (folder == null) {
                    int index = i;
                    futures.add(pool.submit(() -> out[index] = uris.get(index) == null ? new Stat(MISSING, 0)
                            : of(uris.get(index), conf)));
                } else {
                    byFolder.computeIfAbsent(folder, f -> new ArrayList<>()).add(i);
                }
            }
            byFolder.forEach((folder, indices) -> futures.add(pool.submit(() -> {
                fillFromFolder(folder, indices, uris, conf, out);
                return null;
            })));
            for (Future<?> f : futures) {
                f.get();
            }
            return Arrays.asList(out);
        } catch (Exception e) {
            throw new IllegalStateException("fingerprinting inputs failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
