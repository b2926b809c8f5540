package io.ctcohort.analytics;

import io.ctcohort.core.tables.AgeEffectsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study at the paper's scale: 4004 exams x 117 structures. Prints the timings (measured, not
 * asserted) and checks the fits recover the simulated age slopes: about 95 % of the 702 CIs must
 * cover the true slope (asserted >= 90 %), and the report has a real PNG per structure.
 */
class FullCohortBenchmarkTest extends SharedSpark {
    private static final int EXAMS = 4004;
    private static final int STRUCTURES = 117;

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    @Test
    void fullCohortTimingsAndCoverage(@TempDir Path tmp) throws Exception {
        String run = tmp.resolve("runs").resolve("20261126T000000Z").toString();
        long t0 = System.nanoTime();
        SyntheticCohort.write(spark, run, EXAMS, STRUCTURES);
        long generated = (System.nanoTime() - t0) / 1_000_000;

        long cpu0 = ProcessCpu.millis();
        AnalyzeJob.Summary s = AnalyzeJob.run(spark, run, null, tmp.resolve("report"), StudyOptions.defaults());
        long cpu1 = ProcessCpu.millis();
        System.out.printf("BENCHMARK analyze %d exams x %d structures (%d measurement rows, local[2], %d cores, load %.1f):"
                        + " first run %s ms wall, %d ms CPU of this JVM (synthetic data generated in %d ms)%n",
                EXAMS, STRUCTURES, s.qcTotal(), Runtime.getRuntime().availableProcessors(), loadAverage(), s.millis(),
                cpu1 - cpu0, generated);
        AnalyzeJob.Summary warm = AnalyzeJob.run(spark, run, tmp.resolve("tables2").toString(), null, StudyOptions.defaults());
        System.out.printf("BENCHMARK warm JVM, tables only (no report): %s ms wall, %d ms CPU%n", warm.millis(),
                ProcessCpu.millis() - cpu1);

        List<AgeEffect> effects = CsvEffects.fromParquet(spark.read().parquet(run + "/" + AgeEffectsTable.NAME));
        assertEquals(STRUCTURES * 2 * 3, effects.size());
        int covered = 0;
        for (AgeEffect e : effects) {
            assertNull(e.reason(), e.toString());
            assertTrue(e.n() > 1000, e.toString());
            int idx = Integer.parseInt(e.structure().substring("structure_".length()));
            double truth = e.metric().equals("volume_ml") ? SyntheticCohort.volumeSlope(idx) : SyntheticCohort.huSlope(idx);
            if (e.ciLow() <= truth && truth <= e.ciHigh()) {
                covered++;
            }
        }
        double coverage = covered / (double) effects.size();
        System.out.printf("BENCHMARK 95%% CI coverage of the true age slopes: %.3f%n", coverage);
        assertTrue(coverage >= 0.90, "coverage " + coverage);
        assertEquals(STRUCTURES + 2, ReportFiles.assertImagesArePngs(s.reportIndex(), 10_000).size());
    }
}
