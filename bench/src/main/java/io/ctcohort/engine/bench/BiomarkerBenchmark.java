package io.ctcohort.engine.bench;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.measure.ExamMeasurer;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.engine.phantom.PhantomExam;
import io.ctcohort.engine.phantom.PhantomGenerator;
import io.ctcohort.engine.stats.StatisticsCalculator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the CPU cost per exam of the biomarkers and the phase estimate, against the structure
 * statistics and against what {@code measure} spends per exam (reading the CT and the label map
 * from .nii.gz, then the statistics), on the demo cohort's phantoms. The biomarkers' cost is
 * {@link ExamMeasurer#measure} (statistics with boxes, phase, biomarkers) minus the statistics
 * alone: what they add. Thread CPU time, best of the
 * repeats, in a second pass over the exams: the first pass warms the JIT up, as the first exams of
 * an executor do (a measure run is hundreds of exams per JVM). Not a test: figures are printed,
 * never asserted.
 *
 * <pre>java -Xmx3g -cp engine/target/classes:... io.ctcohort.engine.bench.BiomarkerBenchmark [exams] [repeats] [seed]</pre>
 */
public final class BiomarkerBenchmark {

    private BiomarkerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int exams = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        LabelMap names = LabelMap.total();
        PhantomGenerator gen = new PhantomGenerator(seed);
        Path dir = Files.createTempDirectory("ctcohort-biomarker-bench");
        double sumStats = 0;
        double sumBio = 0;
        double sumRead = 0;
        System.out.printf("demo phantoms (seed %d), %d exams, thread CPU ms, best of %d%n", seed, exams, repeats);
        System.out.printf("%-12s %-16s %9s %9s %11s %8s %8s%n", "exam", "grid", "read", "stats", "biomarkers",
                "vs stats", "vs measure");
        try {
            for (int k = 0; k < 2 * exams; k++) { // first pass: JIT warm-up, not reported
                int i = k - exams;
                PhantomExam e = gen.generate(k % exams);
                CtVolume ct = e.ct();
                LabelVolume labels = e.labels();
                Path ctFile = dir.resolve("ct.nii.gz");
                Path maskFile = dir.resolve("mask.nii.gz");
                NiftiWriter.write(ct, ctFile);
                NiftiWriter.write(labels, maskFile);
                double read = BestOf.millis(repeats, BestOf.THREAD_CPU, () -> NiftiReader.read(ctFile).toCt().hu().length
                        + NiftiReader.read(maskFile).toLabels().geometry().nx());
                double s = BestOf.millis(repeats, BestOf.THREAD_CPU, () -> StatisticsCalculator.compute(ct, labels, names).size());
                double all = BestOf.millis(repeats, BestOf.THREAD_CPU, () -> ExamMeasurer.measure(ct, labels, names, null).biomarkers().size());
                double b = Math.max(0, all - s);
                if (i < 0) {
                    continue;
                }
                sumStats += s;
                sumBio += b;
                sumRead += read;
                System.out.printf("%-12s %-16s %9.1f %9.1f %11.1f %7.1f%% %9.1f%%%n", e.examId(),
                        ct.geometry().nx() + "x" + ct.geometry().ny() + "x" + ct.geometry().nz(), read, s, b,
                        100 * b / s, 100 * b / (read + s));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        System.out.printf("mean per exam: read %.1f ms, statistics %.1f ms, biomarkers + phase %.1f ms%n",
                sumRead / exams, sumStats / exams, sumBio / exams);
        System.out.printf("biomarkers add %.1f%% to the statistics, %.1f%% to measure's read + statistics%n",
                100 * sumBio / sumStats, 100 * sumBio / (sumRead + sumStats));
    }
}
