package io.ctcohort.core.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The SparkSession of every command: spark-submit's settings when submitted, else local mode. */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** A session whose local master gets {@link #localShuffle()}'s partitions. */
    public static SparkSession create(String appName, String master, Map<String, String> extra) {
        return create(appName, master, extra, localShuffle());
    }

    /**
     * One machine: a few shuffle partitions per core, not Spark's 200 (adaptive execution stays on).
     * Every map task of a shuffle with at most 200 partitions writes one file per partition, which at
     * 200 was the largest native cost of a 1 %-changed run at 100k exams (JFR).
     */
    public static Map<String, String> localShuffle() {
        return Map.of("spark.sql.shuffle.partitions", String.valueOf(4 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param extra         settings that win over spark-submit's (a command's --conf)
     * @param localDefaults settings for a local master only, where spark-submit gave none
     */
    public static SparkSession create(String appName, String master, Map<String, String> extra,
                                      Map<String, String> localDefaults) {
        SparkConf conf = new SparkConf(); // picks up spark.* system properties set by spark-submit
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // Loopback only: a laptop's changing network must not break a local run (docs/DESIGN.md).
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
            localDefaults.forEach(conf::setIfMissing);
        }
        extra.forEach(conf::set);
        conf.setIfMissing("spark.app.name", appName);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
