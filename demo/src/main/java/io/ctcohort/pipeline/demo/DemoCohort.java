package io.ctcohort.pipeline.demo;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.engine.phantom.CohortWriter;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.pipeline.job.ProgressReporter;
import io.ctcohort.pipeline.manifest.Manifest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The demo's phantom cohort folder (see {@link CohortWriter} for its files), generated once and
 * reused while its exam count and seed stay the same: a marker file, written last, records them.
 *
 * <p>Beside the generator's manifests, the demo's own ({@link #studyManifest}, {@link
 * #studyManifestWithMasks}) carry each exam's true {@code contrast_phase}, as a hospital's RIS or
 * protocol records it: the phantoms' native aorta is 160-190 HU (docs/DESIGN.md "Phantoms"), so the
 * engine's estimator, whose thresholds are real CT's, would call native phantoms enhanced. The study
 * manifest also gives every {@value #REFERENCE_EVERY}th exam (in manifest order) its true label map as
 * {@code reference_mask_uri}: the validation subset that calibrates the age effects.
 */
public final class DemoCohort {
    static final String MARKER = "demo-cohort.properties";
    /** The manifest column of a validation exam's reference label map. */
    public static final String REFERENCE_MASK_URI = "reference_mask_uri";
    /** One exam in this many (manifest rows 0, 10, 20, ...) carries its true label map as reference. */
    public static final int REFERENCE_EVERY = 10;
    static final String STUDY_MANIFEST = "manifest_demo.csv", STUDY_MANIFEST_MASKS = "manifest_masks_demo.csv";
    private static final List<String> GENERATED = List.of("images", "labels", "manifest.csv", "manifest_masks.csv",
            "truth.csv", "truth_biomarkers.csv", STUDY_MANIFEST, STUDY_MANIFEST_MASKS, MARKER);

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

    public Path truthBiomarkers() {
        return dir.resolve("truth_biomarkers.csv");
    }

    /** The manifest the demo segments: {@link #manifest} plus contrast_phase and, for a tenth, reference_mask_uri. */
    public Path studyManifest() {
        return dir.resolve(STUDY_MANIFEST);
    }

    /** The manifest of the true label maps ({@code --true-masks}): {@link #manifestWithMasks} plus contrast_phase. */
    public Path studyManifestWithMasks() {
        return dir.resolve(STUDY_MANIFEST_MASKS);
    }

    /** Whether the folder already holds this cohort (same exam count and seed, complete). */
    public boolean isPresent() {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker) || !Files.isRegularFile(manifest()) || !Files.isRegularFile(truth())
                || !Files.isRegularFile(truthBiomarkers())) {
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
            writeStudyManifests();
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
        writeStudyManifests();
        return true;
    }

    /**
     * Writes {@link #studyManifest} and {@link #studyManifestWithMasks} from the generator's manifests and
     * truth.csv's phase (rewritten on every run: cheap, and always what this class defines).
     */
    void writeStudyManifests() {
        Map<String, String> phases = truthPhases();
        List<String> withMasks = readLines(manifestWithMasks());
        List<String> header = List.of(withMasks.get(0).split(",", -1));
        int examCol = header.indexOf("exam_id");
        int maskCol = header.indexOf(Manifest.MASK_URI);
        if (examCol < 0 || maskCol != header.size() - 1) {
            throw new CtCohortException(manifestWithMasks() + ": expected exam_id and a last column "
                    + Manifest.MASK_URI + ", found " + header);
        }
        List<String> study = new ArrayList<>();
        List<String> masks = new ArrayList<>();
        String base = String.join(",", header.subList(0, maskCol));
        study.add(base + "," + ExamsTable.CONTRAST_PHASE + "," + REFERENCE_MASK_URI);
        masks.add(withMasks.get(0) + "," + ExamsTable.CONTRAST_PHASE);
        for (int i = 1; i < withMasks.size(); i++) {
            String line = withMasks.get(i);
            String[] f = line.split(",", -1);
            String phase = phases.get(f[examCol]);
            if (phase == null) {
                throw new CtCohortException(truth() + ": no row for exam " + f[examCol] + " of " + manifestWithMasks());
            }
            boolean reference = (i - 1) % REFERENCE_EVERY == 0;
            study.add(String.join(",", List.of(f).subList(0, maskCol)) + "," + phase + ","
                    + (reference ? f[maskCol] : ""));
            masks.add(line + "," + phase);
        }
        writeLines(studyManifest(), study);
        writeLines(studyManifestWithMasks(), masks);
    }

    /** exam_id -> contrast_phase of truth.csv (the same on every row of an exam). */
    private Map<String, String> truthPhases() {
        List<String> lines = readLines(truth());
        List<String> header = List.of(lines.get(0).split(",", -1));
        int examCol = header.indexOf("exam_id");
        int phaseCol = header.indexOf(ExamsTable.CONTRAST_PHASE);
        if (examCol < 0 || phaseCol < 0) {
            throw new CtCohortException(truth() + ": expected columns exam_id and " + ExamsTable.CONTRAST_PHASE
                    + " (a cohort from before the contrast phase: delete the cohort folder to regenerate it)");
        }
        Map<String, String> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            out.put(f[examCol], f[phaseCol]);
        }
        return out;
    }

    private static List<String> readLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                throw new CtCohortException(file + ": empty, expected a header line");
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void writeLines(Path file, List<String> lines) {
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
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
