package io.ctcohort.pipeline.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The bucket rule against Python's hashlib (int.from_bytes(sha256(id.encode()).digest()[:8], 'big') % B,
 * computed outside the JVM), the bucket count for a cohort, and the flat file names.
 */
class ExamBucketTest {
    @Test
    void bucketIsSha256OfTheUtf8IdModuloTheCount() {
        assertEquals(28, ExamBucket.of("ex00000", 256));
        assertEquals(796, ExamBucket.of("ex00000", 4096));
        assertEquals(2, ExamBucket.of("ex00000", 3));
        assertEquals(200, ExamBucket.of("EX0001", 256));
        assertEquals(2760, ExamBucket.of("EX0001", 4096));
        assertEquals(2324, ExamBucket.of("\u00c4-\u00df-exam", 4096));
        assertEquals(0, ExamBucket.of("\u00c4-\u00df-exam", 3));
    }

    @Test
    void countGivesAtMostFourExamsPerBucketAndKeepsThePreviousWhileItDoes() {
        assertEquals(1, ExamBucket.count(0, OptionalInt.empty()));
        assertEquals(1, ExamBucket.count(4, OptionalInt.empty()));
        assertEquals(2, ExamBucket.count(5, OptionalInt.empty()));
        assertEquals(256, ExamBucket.count(1000, OptionalInt.empty()));
        assertEquals(4096, ExamBucket.count(10_000, OptionalInt.empty()));
        assertEquals(262_144, ExamBucket.count(1_000_000, OptionalInt.empty()));
        assertEquals(256, ExamBucket.count(10_000, 64, OptionalInt.empty()), "64 per bucket: 10k / 64 -> 157 -> 256");
        assertEquals(1, ExamBucket.count(200, 256, OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> ExamBucket.count(10, 0, OptionalInt.empty()));
        assertEquals(256, ExamBucket.count(1020, OptionalInt.of(256)), "still <= 4 per bucket: kept");
        assertEquals(512, ExamBucket.count(1030, OptionalInt.of(256)), "over 4 per bucket: doubled");
        assertEquals(512, ExamBucket.count(300, OptionalInt.of(512)), "shrunk, within 4x: kept");
        assertEquals(64, ExamBucket.count(200, OptionalInt.of(512)), "shrunk beyond 4x: resized");
        for (long n : new long[] {1, 7, 999, 12_345, 1_000_000}) {
            int b = ExamBucket.count(n, OptionalInt.empty());
            assertTrue(n <= 4L * b && (b == 1 || n > 4L * (b / 2)), n + " -> " + b);
        }
    }

    @Test
    void fileNamesAreFlatAndParseBack() {
        assertEquals("part-b000017.parquet", ExamBucket.fileName(17));
        assertEquals("part-b000017-2.parquet", ExamBucket.fileName(17, 2));
        assertEquals(OptionalInt.of(17), ExamBucket.bucketOf("part-b000017.parquet"));
        assertEquals(OptionalInt.of(17), ExamBucket.bucketOf("part-b000017-2.parquet"));
        assertEquals(OptionalInt.empty(), ExamBucket.bucketOf("part-00000-abc.snappy.parquet"));
        assertEquals(OptionalInt.empty(), ExamBucket.bucketOf("_SUCCESS"));
    }
}
