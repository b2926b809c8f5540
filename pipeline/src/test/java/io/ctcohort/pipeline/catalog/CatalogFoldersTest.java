package io.ctcohort.pipeline.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ctcohort.pipeline.exam.HadoopConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which unit a file or series belongs to, and what its fingerprint sees (a listing, not contents). */
class CatalogFoldersTest {
    private static final String ROOT = "file:/pacs/export";

    @TempDir
    Path tmp;

    @Test
    void everyPathBelongsToTheFolderAtTheDepthOrToItsFoldersOwnFiles() {
        assertEquals(ROOT + "/p1", CatalogFolders.unitOf(ROOT, 1, ROOT + "/p1/st1/se1/IM1", false));
        assertEquals(ROOT + "/p1", CatalogFolders.unitOf(ROOT, 1, ROOT + "/p1/st1/se1", true));
        assertEquals(ROOT + "/p1/st1", CatalogFolders.unitOf(ROOT, 2, ROOT + "/p1/st1/se1/IM1", false));
        assertEquals(ROOT + "/", CatalogFolders.unitOf(ROOT, 1, ROOT + "/DICOMDIR", false), "the root's own files");
        assertEquals(ROOT + "/p1/", CatalogFolders.unitOf(ROOT, 2, ROOT + "/p1/IM9", false), "p1's own files");
        assertEquals(ROOT + "/p1/", CatalogFolders.unitOf(ROOT, 2, ROOT + "/p1", true), "a series of p1's own files");
        assertNull(CatalogFolders.unitOf(ROOT, 1, "file:/elsewhere/IM1", false));
        assertEquals(ROOT + "/p1", CatalogFolders.unitOfSeries(ROOT, 1, ROOT + "/p1/st1#1.2.3", null));
        assertEquals(ROOT + "/p2", CatalogFolders.unitOfSeries(ROOT, 1, ROOT + "/p2/st1/bad.dcm", "TRUNCATED"));
    }

    @Test
    void theFingerprintChangesWithNamesSizesAndTimesButNotWithContents() throws Exception {
        Path unit = tmp.resolve("study");
        Files.createDirectories(unit.resolve("s1"));
        Path a = Files.write(unit.resolve("s1").resolve("a"), new byte[] {1, 2, 3});
        Files.write(unit.resolve("b"), new byte[] {4});
        HadoopConf conf = new HadoopConf(new Configuration());
        String name = "file:" + unit;
        Row before = CatalogFolders.fingerprint(conf, name);
        assertEquals(2L, get(before, CatalogFolders.FILES));
        assertEquals(4L, get(before, CatalogFolders.BYTES));

        FileTime time = Files.getLastModifiedTime(a);
        Files.write(a, new byte[] {9, 9, 9});
        Files.setLastModifiedTime(a, time);
        assertEquals(before, CatalogFolders.fingerprint(conf, name), "same names, sizes and times");

        Files.setLastModifiedTime(a, FileTime.fromMillis(time.toMillis() + 1000));
        Row touched = CatalogFolders.fingerprint(conf, name);
        assertNotEquals(get(before, CatalogFolders.FINGERPRINT), get(touched, CatalogFolders.FINGERPRINT));

        Files.move(unit.resolve("b"), unit.resolve("c"));
        assertNotEquals(get(touched, CatalogFolders.FINGERPRINT),
                get(CatalogFolders.fingerprint(conf, name), CatalogFolders.FINGERPRINT), "a renamed file");
        assertEquals(1L, get(CatalogFolders.fingerprint(conf, name + "/"), CatalogFolders.FILES),
                "a trailing / : the folder's own files only");
    }

    /** A fingerprint row's value by name (rows built on the executors carry no schema). */
    private static Object get(Row r, String column) {
        return r.get(CatalogFolders.SCHEMA.fieldIndex(column));
    }
}
