package io.ctcohort.pipeline.exam;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import io.ctcohort.core.layout.OutputLayout;

/**
 * The staging folder of a run: one small JSON file per finished exam, named by the digest of its
 * key ({@link ExamTask#stagingName()}) and published atomically by the task that computed it. A
 * re-run of a killed run finds its finished exams here; a retried or speculative task overwrites
 * the same name with the same content, so there is never more than one result per key.
 */
public final class StagingStore implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String dir;
    private final HadoopConf conf;
    private final boolean objectStore;

    public StagingStore(String dir, HadoopConf conf, boolean objectStore) {
        this.dir = dir;
        this.conf = conf;
        this.objectStore = objectStore;
    }

    public String dir() {
        return dir;
    }

    /** Publishes a result under its ok or failed name; an ok result replaces an earlier failure. */
    public void write(ExamTask task, ExamResult result) throws IOException {
        Path p = new Path(dir, result.ok() ? task.stagingName() : task.stagingFailedName());
        FileSystem fs = p.getFileSystem(conf.get());
        OutputLayout.writeAtomically(fs, p, JSON.writeValueAsBytes(result), objectStore);
        if (result.ok()) {
            fs.delete(new Path(dir, task.stagingFailedName()), false);
        }
    }

    public static ExamResult parse(byte[] json) throws IOException {
        return JSON.readValue(json, ExamResult.class);
    }

    public ExamResult read(String name) throws IOException {
        Path p = new Path(dir, name);
        return parse(OutputLayout.readSmall(p.getFileSystem(conf.get()), p).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Names of the results present (temporary files excluded). */
    public Set<String> names() throws IOException {
        Path d = new Path(dir);
        Set<String> names = new HashSet<>();
        try {
            for (FileStatus s : d.getFileSystem(conf.get()).listStatus(d)) {
                String n = s.getPath().getName();
                if (s.isFile() && n.endsWith(".json") && !n.startsWith("_") && !n.startsWith(".")) {
                    names.add(n);
                }
            }
        } catch (FileNotFoundException e) {
            return names;
        }
        return names;
    }
}
