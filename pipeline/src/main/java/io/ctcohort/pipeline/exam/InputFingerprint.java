package io.ctcohort.pipeline.exam;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import io.ctcohort.core.layout.OutputLayout;
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
 * single-part uploads). On a remote store files are taken from a listing of their folder where the
 * manifest names several files of one folder (one LIST per 1,000 objects on S3 instead of a HEAD per
 * file), else from one metadata call each; local files by one stat each. Done with a few threads per
 * task, so 100,000 exams are fingerprinted in seconds without reading terabytes.
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
    /** Local files stat-ed by one thread's task at a time. */
    private static final int LOCAL_FILES_PER_THREAD_TASK = 4096;

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
        return fileFingerprint(s.getLen(), s.getModificationTime(), s instanceof EtagSource e ? e.getEtag() : null);
    }

    private static String fileFingerprint(long size, long mtimeMillis, String etag) {
        StringBuilder fp = new StringBuilder("size=").append(size).append(";mtime=").append(mtimeMillis);
        if (etag != null && !etag.isEmpty()) {
            fp.append(";etag=").append(etag);
        }
        return fp.toString();
    }

    /**
     * A file on the local file system, by one stat call: the size and the modification time in whole
     * milliseconds that Hadoop's local file system reports, at a fraction of its cost per file (no
     * listing of a folder the manifest names only part of, no Hadoop path objects). A folder (a DICOM
     * series) or anything unusual is left to {@link #of}.
     */
    private static Stat ofLocal(java.nio.file.Path file, ImageRef ref, Configuration conf) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.isRegularFile()) {
                return new Stat(fileFingerprint(a.size(), a.lastModifiedTime().toMillis(), null), a.size());
            }
        } catch (NoSuchFileException e) {
            return new Stat(MISSING, 0);
        } catch (IOException | RuntimeException e) {
            // left to Hadoop's answer below
        }
        return of(ref, conf);
    }

    /**
     * The text of a reference's folder, or null where it has none to share: the location up to its
     * last '/'. Equal texts have one Hadoop parent path, built once per folder rather than per file.
     */
    private static String folderText(ImageRef ref) {
        String loc = ref.location();
        int slash = loc.lastIndexOf('/');
        return slash <= 0 || slash == loc.length() - 1 ? null : loc.substring(0, slash);
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
            Map<String, List<Integer>> byFolder = new LinkedHashMap<>();
            Stat[] out = new Stat[uris.size()];
            List<Future<?>> futures = new ArrayList<>();
            List<Integer> alone = new ArrayList<>();
            for (int i = 0; i < uris.size(); i++) {
                String folder = uris.get(i) == null ? null : folderText(uris.get(i));
                if (folder == null) {
                    alone.add(i);
                } else {
                    byFolder.computeIfAbsent(folder, f -> new ArrayList<>()).add(i);
                }
            }
            for (List<Integer> indices : byFolder.values()) {
                Path folder = parentOf(uris.get(indices.get(0)));
                if (folder == null) {
                    alone.addAll(indices);
                } else if (OutputLayout.isLocal(folder, conf)) {
                    // A local stat costs microseconds: no listing, the files spread over the threads.
                    java.nio.file.Path dir = Paths.get(folder.getFileSystem(conf).makeQualified(folder).toUri());
                    for (int from = 0; from < indices.size(); from += LOCAL_FILES_PER_THREAD_TASK) {
                        List<Integer> part = indices.subList(from,
                                Math.min(indices.size(), from + LOCAL_FILES_PER_THREAD_TASK));
                        futures.add(pool.submit(() -> {
                            for (int i : part) {
                                String loc = uris.get(i).location();
                                String name = loc.substring(loc.lastIndexOf('/') + 1);
                                // A ':' in a name means something else to Hadoop's paths: left to of().
                                out[i] = name.indexOf(':') >= 0 ? of(uris.get(i), conf)
                                        : ofLocal(dir.resolve(name), uris.get(i), conf);
                            }
                            return null;
                        }));
                    }
                } else {
                    futures.add(pool.submit(() -> {
                        fillFromFolder(folder, indices, uris, conf, out);
                        return null;
                    }));
                }
            }
            for (int index : alone) {
                futures.add(pool.submit(() -> out[index] = uris.get(index) == null ? new Stat(MISSING, 0)
                        : of(uris.get(index), conf)));
            }
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
