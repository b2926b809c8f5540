package io.ctcohort.pipeline.exam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.layout.OutputLayout;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;

/**
 * The staging folder of a run: one small JSON file per finished batch of exams (a JSON array of
 * their results, ok or failed), named by the digest of the batch's keys
 * ({@link #batchName(List)}) and published atomically by the task that computed it. A re-run of a
 * killed run finds its finished exams here ({@link #okResults()}); a retried or speculative task
 * overwrites the same name with the same exams, so a batch's results exist once. Failed results
 * are staged too (the tables show them) but never reused: a re-run retries them.
 */
public final class StagingStore implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String dir;
    /**
     * Broadcast, not held: a store travels inside every task that reads or writes staging, and a
     * Configuration's few hundred entries took milliseconds to read back in each (JFR of a 1 %-changed
     * run at 100,000 exams: 4.6 % of its CPU samples); a broadcast is read once per executor.
     */
    private final Broadcast<HadoopConf> conf;
    private final boolean objectStore;

    public StagingStore(String dir, Broadcast<HadoopConf> conf, boolean objectStore) {
        this.dir = dir;
        this.conf = conf;
        this.objectStore = objectStore;
    }

    public String dir() {
        return dir;
    }

    /** The run's Hadoop settings, broadcast: for the other tasks of the run that open files. */
    public Broadcast<HadoopConf> hadoopConf() {
        return conf;
    }

    /** The file name of a batch: a digest of its exams' keys, in order, so a retried task writes the same name. */
    public static String batchName(List<ExamTask> batch) {
        StringBuilder keys = new StringBuilder();
        batch.forEach(t -> keys.append(t.key()).append('\n'));
        return ModelIdentity.sha256Hex(keys.toString()).substring(0, 32) + ".json";
    }

    /** Publishes the results of a batch, in one file. */
    public void write(List<ExamTask> batch, List<ExamResult> results) throws IOException {
        Path p = new Path(dir, batchName(batch));
        OutputLayout.writeAtomically(p.getFileSystem(conf.value().get()), p, JSON.writeValueAsBytes(results),
                objectStore);
    }

    /**
     * The results in one staged file (an array; a single object as staged before batches), bound one
     * result at a time: a file of ten thousand exams is never held as a JSON tree besides its results.
     */
    public List<ExamResult> read(String name) throws IOException {
        Path p = new Path(dir, name);
        List<ExamResult> out = new ArrayList<>();
        try (InputStream in = p.getFileSystem(conf.value().get()).open(p);
             MappingIterator<ExamResult> results = JSON.readerFor(ExamResult.class).readValues(in)) {
            while (results.hasNextValue()) {
                out.add(results.nextValue());
            }
        } catch (JsonProcessingException e) {
            throw new IOException(p + ": not a staged result (" + e.getOriginalMessage() + ")", e);
        }
        return out;
    }

    /**
     * The ok results already staged (by an interrupted attempt of this run), as key -> staged file:
     * what a resumed run reuses. Read on the driver, which only happens when staging is not empty. A
     * result staged by an older version (its format below {@link ExamResult#FORMAT}: before biomarkers,
     * or before validation) is not reused: it may lack rows the run's tables hold, so the exam is
     * processed again.
     */
    public Map<String, String> okResults() throws IOException {
        Map<String, String> ok = new HashMap<>();
        for (String name : names()) {
            for (ExamResult r : read(name)) {
                if (r.ok() && r.format() >= ExamResult.FORMAT) {
                    ok.put(ExamTask.key(r), name);
                }
            }
        }
        return ok;
    }

    /** Names of the staged files present (temporary files excluded). */
    public Set<String> names() throws IOException {
        Path d = new Path(dir);
        Set<String> names = new java.util.TreeSet<>();
        try {
            for (FileStatus s : d.getFileSystem(conf.value().get()).listStatus(d)) {
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

    /** The results of a source's keys, each exactly once; a key missing from its file is an error. */
    public List<ExamResult> take(Source source) throws IOException {
        Set<String> wanted = new java.util.HashSet<>(source.keys());
        List<ExamResult> out = new ArrayList<>(wanted.size());
        for (ExamResult r : read(source.file())) {
            if (wanted.remove(ExamTask.key(r))) {
                out.add(r);
            }
        }
        if (!wanted.isEmpty()) {
            throw new IOException("no staged result for " + wanted.size() + " exam(s) in " + new Path(dir, source.file()));
        }
        return out;
    }

    /** Groups keys by the staged file that holds them (the sources of a run's tables). */
    public static List<Source> sources(Map<String, String> fileByKey) {
        Map<String, List<String>> byFile = new HashMap<>();
        fileByKey.forEach((key, file) -> byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(key));
        List<Source> out = new ArrayList<>();
        byFile.forEach((file, keys) -> out.add(new Source(file, keys)));
        out.sort(java.util.Comparator.comparing(Source::file));
        return out;
    }

    /** A staged file and the keys to take from it. */
    public record Source(String file, List<String> keys) implements Serializable {
    }
}
