package io.ctcohort.core.cli;

import io.ctcohort.core.spark.SparkSessions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The options that start a command's Spark session, declared once for {@code segment}, {@code measure},
 * {@code catalog} and {@code analyze} (a picocli mixin).
 */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark configuration (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The session named {@code appName}, on --master with the --conf settings ({@link SparkSessions#create}). */
    public SparkSession create(String appName) {
        return SparkSessions.create(appName, master, conf);
    }

    /** The --conf settings (read-only). */
    public Map<String, String> conf() {
        return Collections.unmodifiableMap(conf);
    }
}
