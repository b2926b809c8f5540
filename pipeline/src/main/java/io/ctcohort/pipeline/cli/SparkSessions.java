package io.ctcohort.pipeline.cli;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The SparkSession of a command: spark-submit's settings when submitted, else local mode. */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession create(String appName, String master, Map<String, String> extra) {
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
        }
        extra.forEach(conf::set);
        conf.setIfMissing("spark.app.name", appName);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
