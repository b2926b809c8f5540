package io.ctcohort.pipeline;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** s3proxy in-process with one bucket, and a Hadoop configuration for S3A to reach it (test keys only). */
public final class TestS3 implements AutoCloseable {
    public static final String ACCESS = "ctcohort-test-access";
    public static final String SECRET = "ctcohort-test-secret";

    private final S3Proxy proxy;
    private final String endpoint;

    private TestS3(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static TestS3 start(String bucket) throws Exception {
        S3Proxy proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(25);
        }
        String endpoint = "http://127.0.0.1:" + proxy.getPort();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .forcePathStyle(true).httpClient(ApacheHttpClient.create()).build()) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (RuntimeException e) {
            proxy.stop();
            throw e;
        }
        return new TestS3(proxy, endpoint);
    }

    /** http://127.0.0.1:PORT */
    public String endpoint() {
        return endpoint;
    }

    public Configuration conf() {
        Configuration c = new Configuration();
        c.set("fs.s3a.endpoint", endpoint);
        c.set("fs.s3a.endpoint.region", "us-east-1");
        c.set("fs.s3a.path.style.access", "true");
        c.set("fs.s3a.connection.ssl.enabled", "false");
        c.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        c.set("fs.s3a.access.key", ACCESS);
        c.set("fs.s3a.secret.key", SECRET);
        c.setInt("fs.s3a.attempts.maximum", 1);
        c.setInt("fs.s3a.retry.limit", 1);
        return c;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
