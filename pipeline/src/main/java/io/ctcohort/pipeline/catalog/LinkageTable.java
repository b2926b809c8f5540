package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.CtCohortException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * {@code catalog --linkage-out}: one Parquet table of patient_pseudonym, patient_id, exam_id (the
 * pseudonym), study_instance_uid, series_pseudonym, series_instance_uid. It re-identifies every
 * row of every shared table, so it is written only when asked for and never inside the output
 * folder (which a study may copy as a whole); its folder is readable by its owner alone.
 */
final class LinkageTable {
    private static final short OWNER_ONLY_FOLDER = 0700;
    private LinkageTable() {
    }

    /** Refuses a linkage location equal to, or inside, the output folder. */
    static void checkOutside(String linkage, String out, Configuration conf) {
        try {
            Path l = new Path(linkage);
            Path o = new Path(out);
            String lq = l.getFileSystem(conf).makeQualified(l).toString();
            String oq = o.getFileSystem(conf).makeQualified(o).toString();
            String prefix = oq.endsWith("/") ? oq : oq + "/";
            if (lq.equals(oq) || lq.startsWith(prefix)) {
                throw new CtCohortException("--linkage-out " + linkage + " lies inside the output folder " + out
                        + ": the linkage re-identifies the results, keep it apart from them");
            }
        } catch (IOException e) {
            throw new CtCohortException("--linkage-out " + linkage + ": " + e.getMessage(), e);
        }
    }

    /** Writes the table, then closes its folder to all but its owner (0700; object stores: the bucket policy). */
    static void write(Dataset<Row> linkage, String uri, Configuration conf) {
        linkage.coalesce(1).write().mode(SaveMode.Overwrite).parquet(uri);
        try {
            Path p = new Path(uri);
            p.getFileSystem(conf).setPermission(p, new FsPermission(OWNER_ONLY_FOLDER));
        } catch (IOException | UnsupportedOperationException e) {
            // a store without modes
        }
    }
}
