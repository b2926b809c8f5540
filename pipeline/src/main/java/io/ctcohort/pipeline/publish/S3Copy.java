package io.ctcohort.pipeline.publish;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;

/** A server-side copy of one object within an S3A file system's bucket, through S3A's own client. */
final class S3Copy {
    private S3Copy() {
    }

    static void copy(FileSystem fs, Path from, Path to) throws IOException {
        S3AFileSystem s3a = (S3AFileSystem) fs;
        S3Client s3 = s3a.getS3AInternals().getAmazonS3Client("carry an unchanged table file");
        try {
            s3.copyObject(CopyObjectRequest.builder()
                    .sourceBucket(s3a.getBucket()).sourceKey(s3a.pathToKey(from))
                    .destinationBucket(s3a.getBucket()).destinationKey(s3a.pathToKey(to))
                    .build());
        } catch (SdkException e) {
            throw new IOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
