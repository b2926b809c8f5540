package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.pipeline.exam.FileWalk;
import io.ctcohort.pipeline.exam.HadoopConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The folders an incremental catalog fingerprints, and the {@code folders} table it keeps of them.
 *
 * <p>A folder at depth {@code depth} below the archive root (1: the root's children) is one unit
 * with everything under it; the files lying directly in a folder above that depth are a unit of
 * their own, named by the folder and a trailing {@code /}. Every file belongs to exactly one unit,
 * and every series row can be traced back to its unit from its {@code image_uri} ({@link #unitOf}).
 * A unit's fingerprint is a SHA-256 over each file's relative name, size and modification time:
 * one listing, no file opened. Listing and fingerprinting run on the executors, level by level; the
 * driver holds no folder list.
 */
final class CatalogFolders {
    static final String FOLDER = "folder", FINGERPRINT = "fingerprint", FILES = "files", BYTES = "bytes";
    static final String NAME = "folders";

    /** One row per unit: its name, fingerprint (null: read again on every run), file count and bytes. */
    static final StructType SCHEMA = new StructType()
            .add(FOLDER, DataTypes.StringType, false)
            .add(FINGERPRINT, DataTypes.StringType, true)
            .add(FILES, DataTypes.LongType, false)
            .add(BYTES, DataTypes.LongType, false);

    private CatalogFolders() {
    }

    /** Units under {@code root} (qualified, a folder), listed on the executors; not yet fingerprinted. */
    static JavaRDD<String> units(JavaSparkContext jsc, HadoopConf conf, String root, int depth, int partitions) {
        JavaRDD<String> folders = jsc.parallelize(List.of(root), 1);
        JavaRDD<String> units = jsc.emptyRDD();
        for (int level = 0; level < depth; level++) {
            // Each entry: a child folder ("d" + path) or the listed folder's own files ("f" + path + "/").
            JavaRDD<String> entries = folders.flatMap(dir -> children(conf, dir).iterator())
                    .repartition(Math.max(1, partitions));
            entries.cache();
            units = units.union(entries.filter(e -> e.charAt(0) == 'f').map(e -> e.substring(1)));
            folders = entries.filter(e -> e.charAt(0) == 'd').map(e -> e.substring(1));
        }
        return units.union(folders);
    }

    private static List<String> children(HadoopConf conf, String dir) throws IOException {
        Path p = new Path(dir);
        List<String> out = new ArrayList<>();
        boolean files = false;
        for (FileStatus c : p.getFileSystem(conf.get()).listStatus(p)) {
            if (c.isDirectory()) {
                out.add("d" + c.getPath());
            } else {
                files = true;
            }
        }
        if (files) {
            out.add("f" + p + "/");
        }
        return out;
    }

    /** A {@link #SCHEMA} row: the unit's fingerprint over its files' names (relative to it), sizes and times. */
    static Row fingerprint(HadoopConf conf, String unit) throws IOException {
        Path dir = new Path(unit);
        FileSystem fs = dir.getFileSystem(conf.get());
        Iterator<FileStatus> files = filesOf(fs, unit);
        MessageDigest sha = sha256();
        String prefix = fs.makeQualified(dir) + "/";
        long n = 0, bytes = 0;
        while (files.hasNext()) {
            FileStatus f = files.next();
            String name = f.getPath().toString();
            name = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
            sha.update((name + '\0' + f.getLen() + '\0' + f.getModificationTime() + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            n++;
            bytes += f.getLen();
        }
        return new RowBuilder(SCHEMA).set(FOLDER, unit).set(FINGERPRINT, HexFormat.of().formatHex(sha.digest()))
                .set(FILES, n).set(BYTES, bytes).row();
    }

    /** The files of a unit, in name order: a folder's whole tree, or (trailing /) its own files only. */
    static Iterator<FileStatus> filesOf(FileSystem fs, String unit) throws IOException {
        Path dir = new Path(unit);
        if (!unit.endsWith("/")) {
            return new FileWalk(fs, dir);
        }
        FileStatus[] children = fs.listStatus(dir);
        Arrays.sort(children);
        return Arrays.stream(children).filter(c -> !c.isDirectory()).iterator();
    }

    /**
     * The unit that holds {@code path} (qualified, under {@code root}): a file, or with
     * {@code folder} true a series' folder (a series lies within one unit; see DESIGN).
     */
    static String unitOf(String root, int depth, String path, boolean folder) {
        String prefix = root.endsWith("/") ? root : root + "/";
        String rel = path.equals(root) ? "" : path.startsWith(prefix) ? path.substring(prefix.length()) : null;
        if (rel == null) {
            return null;
        }
        List<String> parts = new ArrayList<>(rel.isEmpty() ? List.of() : Arrays.asList(rel.split("/")));
        if (!folder && !parts.isEmpty()) {
            parts.remove(parts.size() - 1); // the file's own name
        }
        if (parts.size() >= depth) {
            return prefix + String.join("/", parts.subList(0, depth));
        }
        return parts.isEmpty() ? prefix : prefix + String.join("/", parts) + "/";
    }

    /** The unit of a series row: its image_uri is FOLDER#SeriesInstanceUID, or an unreadable file's path. */
    static String unitOfSeries(String root, int depth, String imageUri, String error) {
        if (imageUri == null) {
            return null;
        }
        if (error != null) {
            return unitOf(root, depth, imageUri, false);
        }
        int hash = imageUri.lastIndexOf('#');
        return unitOf(root, depth, hash < 0 ? imageUri : imageUri.substring(0, hash), true);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
