package io.ctcohort.pipeline.publish;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * The page compressors of one task's bucket files, shared by all its files: a writer's release at its
 * close is ignored, and {@link #close} follows the task's last file. Snappy, Spark's default, compresses
 * each page with snappy-java directly. Parquet's Snappy codec builds a compressor stream with a 64 KiB
 * buffer per page (56 pages in a 28-column exams file), and a writer builds a codec factory per file:
 * a few-row exams file cost 0.61 ms instead of 0.42 ms (2,000 files, measured). The bytes are the same:
 * Parquet's codec writes one raw Snappy block per page, which is what {@link Snappy#compress(byte[])}
 * returns. Any other codec is Parquet's own, from one factory per task.
 */
final class BucketFileCodecs implements CompressionCodecFactory {
    private final CodecFactory parquet;
    private final BytesInputCompressor snappy = new SnappyPages();

    BucketFileCodecs(Configuration conf) {
        this.parquet = new CodecFactory(conf, ParquetOutputFormat.getPageSize(conf));
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return codec == CompressionCodecName.SNAPPY ? snappy : parquet.getCompressor(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return parquet.getDecompressor(codec);
    }

    /** Called by each writer as it closes: the compressors stay for the task's next file. */
    @Override
    public void release() {
    }

    /** Releases the task's Parquet compressors, after its last file. */
    void close() {
        parquet.release();
    }

    /** One raw Snappy block per page; none for an empty page. */
    private static final class SnappyPages implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput page) throws IOException {
            // Parquet's codec writes nothing for an empty page, where Snappy writes a length byte.
            return page.size() == 0 ? BytesInput.empty() : BytesInput.from(Snappy.compress(page.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.SNAPPY;
        }

        @Override
        public void release() {
        }
    }
}
