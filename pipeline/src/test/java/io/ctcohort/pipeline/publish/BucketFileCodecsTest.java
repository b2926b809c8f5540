package io.ctcohort.pipeline.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

/**
 * The shared compressors of a task's bucket files write the pages Parquet's own codec factory writes, byte
 * for byte, and Parquet reads them back; other codecs are Parquet's own.
 */
class BucketFileCodecsTest {
    private static final Configuration CONF = new Configuration(false);

    /** Pages as a bucket file has them: empty, tiny, text-like, random, larger than a 64 KiB stream buffer. */
    private static byte[][] pages() {
        Random random = new Random(7);
        byte[] noise = new byte[200_000];
        random.nextBytes(noise);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            text.append("ex").append(i % 37).append(",liver,").append(random.nextGaussian()).append('\n');
        }
        return new byte[][] {new byte[0], {42}, text.toString().getBytes(StandardCharsets.UTF_8), noise,
                Arrays.copyOf(noise, 70_001)};
    }

    @Test
    void snappyPagesAreParquetsBytesAndReadBack() throws Exception {
        CodecFactory parquet = new CodecFactory(CONF, 1 << 20);
        BucketFileCodecs codecs = new BucketFileCodecs(CONF);
        try {
            BytesInputCompressor ours = codecs.getCompressor(CompressionCodecName.SNAPPY);
            BytesInputCompressor theirs = parquet.getCompressor(CompressionCodecName.SNAPPY);
            for (byte[] page : pages()) {
                byte[] compressed = ours.compress(BytesInput.from(page)).toByteArray();
                assertArrayEquals(theirs.compress(BytesInput.from(page)).toByteArray(), compressed,
                        page.length + "-byte page");
                assertArrayEquals(page, parquet.getDecompressor(CompressionCodecName.SNAPPY)
                        .decompress(BytesInput.from(compressed), page.length).toByteArray());
            }
            assertEquals(CompressionCodecName.SNAPPY, ours.getCodecName());
        } finally {
            codecs.close();
            parquet.release();
        }
    }

    @Test
    void otherCodecsAreParquetsOwnAndOutliveAWritersRelease() throws Exception {
        BucketFileCodecs codecs = new BucketFileCodecs(CONF);
        try {
            BytesInputCompressor gzip = codecs.getCompressor(CompressionCodecName.GZIP);
            assertNotSame(codecs.getCompressor(CompressionCodecName.SNAPPY), gzip);
            byte[] page = pages()[2];
            codecs.release(); // as a writer does at its close: the next file still compresses
            byte[] compressed = gzip.compress(BytesInput.from(page)).toByteArray();
            assertArrayEquals(page, codecs.getDecompressor(CompressionCodecName.GZIP)
                    .decompress(BytesInput.from(compressed), page.length).toByteArray());
            assertEquals(CompressionCodecName.UNCOMPRESSED,
                    codecs.getCompressor(CompressionCodecName.UNCOMPRESSED).getCodecName());
        } finally {
            codecs.close();
        }
    }
}
