package io.ctcohort.pipeline.job;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Writes to s3a:// through the S3A magic committer instead of Spark's rename-based commit: S3 has no
 * rename (it is a copy, slow and not atomic), and the magic committer writes each task's files as
 * pending multipart uploads that only the job commit makes visible. Needs spark-hadoop-cloud (in the
 * application jar); settings the user gave (spark-defaults, --conf) are left alone. The committer
 * writes a JSON _SUCCESS naming itself into each table folder.
 */
public final class CloudCommitters {
    static final String PROTOCOL = "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";
    static final String PARQUET = "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

    private CloudCommitters() {
    }

    public static void configure(SparkSession spark, String out) {
        String scheme = URI.create(out.replace(" ", "%20")).getScheme();
        if (!"s3a".equals(scheme) || !present()) {
            return;
        }
        setIfAbsent(spark, "spark.sql.sources.commitProtocolClass", PROTOCOL);
        setIfAbsent(spark, "spark.sql.parquet.output.committer.class", PARQUET);
        Configuration h = spark.sparkContext().hadoopConfiguration();
        if (h.get("fs.s3a.committer.name") == null || "file".equals(h.get("fs.s3a.committer.name"))) {
            h.set("fs.s3a.committer.name", "magic");
        }
        h.setBoolean("fs.s3a.committer.magic.enabled", true);
        if (h.get("mapreduce.outputcommitter.factory.scheme.s3a") == null) {
            h.set("mapreduce.outputcommitter.factory.scheme.s3a",
                    "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
        }
    }

    /** Sets a key unless the user chose something other than Spark's default. */
    private static void setIfAbsent(SparkSession spark, String key, String value) {
        String current = spark.conf().contains(key) ? spark.conf().get(key) : "";
        if (current.isEmpty() || current.endsWith("SQLHadoopMapReduceCommitProtocol")
                || current.equals("org.apache.parquet.hadoop.ParquetOutputCommitter")) {
            spark.conf().set(key, value);
        }
    }

    static boolean present() {
        try {
            Class.forName(PROTOCOL, false, CloudCommitters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
