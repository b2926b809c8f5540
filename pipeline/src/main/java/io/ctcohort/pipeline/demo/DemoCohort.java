package io.ctcohort.pipeline.demo;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.job.ProgressReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The demo's phantom cohort folder (see {@link CohortWriter} for its files), generated once and
 * reused while its exam count and seed stay the same: a marker file, written last, records them.
 */
public final class DemoCohort {
    static final String MARKER = "demo-cohort.properties";
    private static final List<String> GENERATED = List.of("images", "labels", "manifest.csv", "manifest_masks.csv",
            "truth.csv", MARKER);

    private final Path dir;
    private final int exams;
    private final long seed;

    public DemoCohort(Path dir, int exams, long seed) {
        this.dir = dir.toAbsolutePath().normalize();
        this.exams = exams;
        this.seed = seed;
    }

    public Path dir() {
        return dir;
    }

    public Path manifest() {
        return dir.resolve("manifest.csv");
    }

    public Path manifestWithMasks() {
        return dir.resolve("manifest_masks.csv");
    }

    public Path truth() {
        return dir.resolve("truth.csv");
    }

    /** Whether the folder already holds this cohort (same exam count and seed, complete). */
    public boolean isPresent() {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker) || !Files.isRegularFile(manifest()) || !Files.isRegularFile(truth())) {
            return false;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(marker)) {
            p.load(r);
        } catch (IOException e) {
            return false;
        }
        return String.valueOf(exams).equals(p.getProperty("exams")) && String.valueOf(seed).equals(p.getProperty("seed"));
    }

    /**
     * Generates the cohort unless it is already there, printing progress every few seconds.
     *
     * @return true if it was generated, false if reused
     */
    public boolean ensure(int threads, PrintStream log) {
        if (isPresent()) {
            log.printf("cohort: reusing %d exams (seed %d) in %s%n", exams, seed, dir);
            return false;
        }
        try {
            clear();
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare cohort folder " + dir, e);
        }
        log.printf("cohort: generating %d phantom exams (seed %d, %d threads) into %s%n", exams, seed, threads, dir);
        long start = System.nanoTime();
        Thread progress = progressThread(log);
        progress.start();
        try {
            new CohortWriter(new PhantomGenerator(seed), threads).write(dir, exams, false);
        } finally {
            progress.interrupt();
        }
        Properties p = new Properties();
        p.setProperty("exams", String.valueOf(exams));
        p.setProperty("seed", String.valueOf(seed));
        try (Writer w = Files.newBufferedWriter(dir.resolve(MARKER))) {
            p.store(w, "ctcohort demo cohort: written after every exam and table");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(MARKER), e);
        }
        log.println(ProgressReporter.line("cohort", exams, exams, (System.nanoTime() - start) / 6e10));
        return true;
    }

    /** Removes what an earlier (other or unfinished) cohort left: only the files the generator writes. */
    private void clear() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String name : GENERATED) {
            Path p = dir.resolve(name);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** Counts finished label files (each exam writes its image, then its labels). */
    private Thread progressThread(PrintStream log) {
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            long last = -1;
            while (true) {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    return;
                }
                long done;
                try (Stream<Path> files = Files.list(dir.resolve("labels"))) {
                    done = files.filter(f -> f.getFileName().toString().endsWith(".nii.gz")).count();
                } catch (IOException | UncheckedIOException e) {
                    continue;
                }
                if (done != last) {
                    last = done;
                    log.println(ProgressReporter.line("cohort", done, exams, (System.nanoTime() - start) / 6e10));
                }
            }
        }, "ctcohort-demo-cohort-progress");
        t.setDaemon(true);
        return t;
    }

    static void requirePositive(int exams) {
        if (exams < 1) {
            throw new CtCohortException("--exams must be at least 1 (got " + exams + ")");
        }
    }
}
