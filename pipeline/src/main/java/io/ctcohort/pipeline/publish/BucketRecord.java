package io.ctcohort.pipeline.publish;

import io.ctcohort.core.layout.OutputLayout;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How a run bucketed its tables, in {@code runs/<run_id>/_buckets.properties}: the bucket count, the
 * hash rule and each table's schema. A later run carries a file over only where all three are the
 * same; a run without the record (written before buckets) is rewritten whole once.
 */
public record BucketRecord(int buckets, String hash, Map<String, String> schemas) {
    public static final String FILE = "_buckets.properties";

    public BucketRecord {
        schemas = Map.copyOf(schemas);
    }

    public boolean sameBuckets(BucketRecord other) {
        return buckets == other.buckets && hash.equals(other.hash);
    }

    /** True if the table's files from {@code previous} can be carried into a run recorded by this. */
    public boolean canCarry(BucketRecord previous, String table) {
        return sameBuckets(previous) && schemas.get(table) != null && schemas.get(table).equals(previous.schemas.get(table));
    }

    public static Optional<BucketRecord> read(FileSystem fs, Path runDir) {
        Path p = new Path(runDir, FILE);
        try {
            if (!fs.exists(p)) {
                return Optional.empty();
            }
            Properties props = new Properties();
            props.load(new StringReader(OutputLayout.readSmall(fs, p)));
            Map<String, String> schemas = new TreeMap<>();
            for (String k : props.stringPropertyNames()) {
                if (k.startsWith("schema.")) {
                    schemas.put(k.substring("schema.".length()), props.getProperty(k));
                }
            }
            return Optional.of(new BucketRecord(Integer.parseInt(props.getProperty("buckets")),
                    props.getProperty("hash"), schemas));
        } catch (IOException | RuntimeException e) {
            // Unreadable: the next run rewrites every table rather than carry files it cannot vouch for.
            return Optional.empty();
        }
    }

    public static OptionalInt bucketsOf(Optional<BucketRecord> record) {
        return record.map(r -> OptionalInt.of(r.buckets())).orElse(OptionalInt.empty());
    }

    public void write(OutputLayout layout, Path runDir) throws IOException {
        Properties props = new Properties();
        props.setProperty("buckets", Integer.toString(buckets));
        props.setProperty("hash", hash);
        schemas.forEach((t, s) -> props.setProperty("schema." + t, s));
        StringWriter w = new StringWriter();
        props.store(w, "how this run's tables are bucketed by exam_id (docs/DESIGN.md)");
        layout.writeAtomically(new Path(runDir, FILE), w.toString().getBytes(StandardCharsets.UTF_8));
    }
}
