package io.ctcohort.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a running job has staged under a local output root (tests watch it to strike midway). */
public final class TestStaging {
    private static final Pattern OK = Pattern.compile("\"status\":\"ok\"");

    private TestStaging() {
    }

    /**
     * Staged ok results: exams with status ok in OUT/staging/RUN/*.json (a file holds a batch), not temporary
     * files. A file the running job renames or removes while the walk passes it makes the walk start again.
     */
    public static long okResults(Path out) throws IOException {
        Path staging = out.resolve("staging");
        while (true) {
            if (!Files.isDirectory(staging)) {
                return 0;
            }
            try (Stream<Path> s = Files.walk(staging)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".json")
                                && !p.getFileName().toString().startsWith("_"))
                        .mapToLong(p -> count(OK.matcher(readOrEmpty(p)))).sum();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) {
                    throw e.getCause();
                }
            }
        }
    }

    /** The file's text, or "" when a job renamed or removed it meanwhile. */
    public static String readOrEmpty(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    private static long count(Matcher m) {
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
