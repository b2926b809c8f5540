package io.ctcohort.analytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The local engine reads the run with the Hadoop settings a Spark job would have: spark-submit's
 * spark.hadoop.* system properties, and analyze's own --conf spark.hadoop.* entries, which win.
 */
class AnalyzeHadoopConfTest {

    @Test
    void confEntriesJoinAndWinOverSparkSubmitsProperties() {
        AnalyzeCommand analyze = new AnalyzeCommand();
        new CommandLine(analyze).parseArgs("--in", "run", "--conf", "spark.hadoop.fs.ctcohort.given=conf",
                "--conf", "spark.executor.memory=1g");
        System.setProperty("spark.hadoop.fs.ctcohort.given", "submit");
        System.setProperty("spark.hadoop.fs.ctcohort.other", "submit");
        try {
            Configuration conf = AnalyzeCommand.hadoopConf(analyze.sparkOptions.conf());
            assertEquals("conf", conf.get("fs.ctcohort.given"), "--conf wins, as in the Spark session");
            assertEquals("submit", conf.get("fs.ctcohort.other"));
            assertNull(conf.get("executor.memory"), "only spark.hadoop.* entries are Hadoop settings");
            assertNull(conf.get("spark.executor.memory"));
        } finally {
            System.clearProperty("spark.hadoop.fs.ctcohort.given");
            System.clearProperty("spark.hadoop.fs.ctcohort.other");
        }
    }
}
