package io.ctcohort.pipeline.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which bucket file of a table holds an exam's rows (docs/DESIGN.md "Publishing what changed"): the
 * first 8 bytes of SHA-256 over the exam id's UTF-8 bytes, big-endian, unsigned, modulo the bucket
 * count. A cryptographic digest because it is defined everywhere (Python's hashlib gives the same
 * bucket) and spreads sequential ids evenly; it never changes for an output root, or every file
 * would be rewritten.
 */
public final class ExamBucket {
    /** Names the hash in the run's bucket record, so that a different rule is never mixed with this one. */
    public static final String HASH = "sha256-utf8-exam_id-u64-mod";
    /**
     * Exams per bucket aimed at: a run that changes a fraction f of exams scattered at random rewrites
     * 1 - exp(-f x EXAMS_PER_BUCKET) of the files, 3.9 % at f = 1 % (a bound no larger file can meet:
     * a plain Parquet file that holds one changed exam is rewritten whole).
     */
    public static final int EXAMS_PER_BUCKET = 4;
    private static final Pattern FILE = Pattern.compile("part-b(\\d{6})(-\\d+)?\\.parquet");
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ExamBucket() {
    }

    public static int of(String examId, int buckets) {
        return (int) Long.remainderUnsigned(digest64(examId), buckets);
    }

    /** The first 8 bytes of SHA-256 over the text's UTF-8 bytes, big-endian: a hash no library version changes. */
    public static long digest64(String text) {
        byte[] d = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    /**
     * The bucket count for a cohort of {@code exams}: the smallest power of two that gives at most
     * EXAMS_PER_BUCKET per bucket, or the previous run's count while it still does and is at most four
     * times that (changing the count rewrites every file once; a growing cohort doubles it, so the
     * rewrites cost a constant factor of a full run in all).
     */
    public static int count(long exams, OptionalInt previous) {
        return count(exams, EXAMS_PER_BUCKET, previous);
    }

    /** As {@link #count(long, OptionalInt)}, aiming at {@code perBucket} exams per bucket instead. */
    public static int count(long exams, int perBucket, OptionalInt previous) {
        if (perBucket < 1) {
            throw new IllegalArgumentException("exams per bucket must be >= 1, not " + perBucket);
        }
        long wanted = Math.max(1, (exams + perBucket - 1) / perBucket);
        int ideal = (int) Math.min(1 << 30, Math.max(1, Long.highestOneBit(wanted - 1) << 1));
        if (previous.isPresent()) {
            int p = previous.getAsInt();
            if (p >= ideal && p <= (long) ideal * 4) {
                return p;
            }
        }
        return ideal;
    }

    /** The name of a bucket's file in a table folder: flat, so that no reader discovers a partition column. */
    public static String fileName(int bucket) {
        return String.format(Locale.ROOT, "part-b%06d.parquet", bucket);
    }

    /** A second file of the same bucket (a writer that split it). */
    public static String fileName(int bucket, int part) {
        return part == 0 ? fileName(bucket) : String.format(Locale.ROOT, "part-b%06d-%d.parquet", bucket, part);
    }

    /** The bucket a table file holds, or empty for a file that is not a bucket file. */
    public static OptionalInt bucketOf(String fileName) {
        Matcher m = FILE.matcher(fileName);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
