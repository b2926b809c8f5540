package io.ctcohort.pipeline.bench;

import io.ctcohort.core.layout.LockPolicy;
import io.ctcohort.core.spark.SparkSessions;
import io.ctcohort.engine.dicom.DicomFileReader;
import io.ctcohort.engine.dicom.DicomSeriesWriter;
import io.ctcohort.engine.dicom.MultiSeriesStudy;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.pipeline.catalog.CatalogJob;
import io.ctcohort.pipeline.catalog.SelectionRules;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What cataloguing an archive costs: a generated archive of S studies (each a localizer, a 3 mm
 * soft-tissue series of Z slices and a 6 mm lung series, 32x32 pixels) catalogued by the Spark job,
 * beside a plain single-threaded loop reading the same headers in this JVM (the reference).
 * Prints files/s of both, their ratio, and the JVM's peak heap during the catalog (local mode: the
 * driver and the executors share it). Then catalog --incremental three times in the same JVM: all
 * folders new, 1 % of the studies touched, nothing changed. Asserts nothing.
 *
 * <pre>
 * java ... io.ctcohort.pipeline.bench.CatalogBenchmark [STUDIES=200] [Z=40] [WORKDIR] [MASTER=local[2]]
 * </pre>
 */
public final class CatalogBenchmark {
    private CatalogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int studies = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int z = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path work = args.length > 2 ? Paths.get(args[2]) : Files.createTempDirectory("ctcohort-catalog-bench-");
        String master = args.length > 3 ? args[3] : "local[2]";
        Path archive = work.resolve("archive");
        if (!Files.isDirectory(archive)) {
            long t = System.nanoTime();
            write(archive, studies, z);
            System.out.printf("wrote %d studies to %s in %.1f s%n", studies, archive, (System.nanoTime() - t) / 1e9);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(archive)) {
            files = s.filter(Files::isRegularFile).toList();
        }

        long t = System.nanoTime();
        long read = 0;
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                read += DicomFileReader.read(in, f.toString(), false).attributes().has(0x0020000E) ? 1 : 0;
            }
        }
        double loopSeconds = (System.nanoTime() - t) / 1e9;

        SparkSession spark = SparkSessions.create("ctcohort catalog benchmark", master,
                Map.of("spark.sql.shuffle.partitions", "8", "spark.ui.enabled", "false"));
        try {
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            CatalogJob.Summary cold = new CatalogJob(spark, SelectionRules.DEFAULT, System.out)
                    .run(archive.toString(), work.resolve("catalog").toString());
            // Again in the same JVM: Spark's first SQL job pays class loading and code generation.
            CatalogJob.Summary s = new CatalogJob(spark, SelectionRules.DEFAULT, System.out)
                    .run(archive.toString(), work.resolve("catalog-warm").toString());
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            double loopRate = read / loopSeconds;
            System.out.printf("%n%-40s %10s %10s %12s%n", "", "files/s", "seconds", "x loop rate");
            System.out.printf("%-40s %10.0f %10.1f %12.2f%n", "header loop (1 thread, no Spark)", loopRate,
                    loopSeconds, 1.0);
            System.out.printf("%-40s %10.0f %10.1f %12.2f%n", "catalog (" + master + ", first job in the JVM)",
                    cold.files() / cold.seconds(), cold.seconds(), cold.files() / cold.seconds() / loopRate);
            System.out.printf("%-40s %10.0f %10.1f %12.2f%n", "catalog (" + master + ", warm JVM)",
                    s.files() / s.seconds(), s.seconds(), s.files() / s.seconds() / loopRate);
            System.out.printf("%d files, %d series, %d studies, %d selected; peak heap %.0f MiB (driver and local "
                    + "executors, both runs)%n", s.files(), s.series(), s.studies(), s.selected(), peak / 1048576.0);
            incremental(spark, archive, work.resolve("catalog-incremental").toString(), studies);
        } finally {
            spark.stop();
        }
    }

    /**
     * catalog --incremental in the same (warm) JVM: a first run (every folder read), a run after 1 %
     * of the studies had one file touched (its modification time), and a run with nothing changed.
     * Units are the study folders (archive/patientN/STUDY: --folder-depth 2).
     */
    private static void incremental(SparkSession spark, Path archive, String out, int studies) throws Exception {
        CatalogJob.Incremental options = new CatalogJob.Incremental(2, LockPolicy.DEFAULT);
        CatalogJob job = new CatalogJob(spark, SelectionRules.DEFAULT, System.out);
        CatalogJob.Summary first = job.runIncremental(archive.toString(), out, options);
        int touched = Math.max(1, studies / 100);
        for (int s = 0; s < touched; s++) {
            String id = String.format("BENCH%05d", s * 100 % studies);
            try (Stream<Path> files = Files.walk(archive.resolve("patient" + (s * 100 % studies % 50)).resolve(id))) {
                Path f = files.filter(Files::isRegularFile).findFirst().orElseThrow();
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            }
        }
        CatalogJob.Summary changed = job.runIncremental(archive.toString(), out, options);
        CatalogJob.Summary noop = job.runIncremental(archive.toString(), out, options);
        System.out.printf("%ncatalog --incremental (warm JVM)          %10s %10s %10s%n", "seconds", "folders", "files read");
        for (var r : List.of(Map.entry("first run (all new)", first), Map.entry(touched + " studies touched", changed),
                Map.entry("nothing changed", noop))) {
            System.out.printf("%-40s %10.1f %10d %10d%n", r.getKey(), r.getValue().seconds(), r.getValue().foldersRead(),
                    r.getValue().files());
        }
    }

    private static void write(Path archive, int studies, int z) {
        CtVolume ct = new CtVolume(Geometry.axisAligned(32, 32, z, 1.0, 1.0, 3.0), new short[32 * 32 * z]);
        for (int i = 0; i < ct.hu().length; i++) {
            ct.hu()[i] = (short) (i % 2000 - 1000);
        }
        for (int s = 0; s < studies; s++) {
            String id = String.format("BENCH%05d", s);
            DicomSeriesWriter.Study study = new DicomSeriesWriter.Study(id, id, "BENCH^" + id, s % 2 == 0 ? "F" : "M",
                    20 + s % 60, LocalDate.of(1960, 1, 1).plusDays(s), LocalDate.of(2024, 1, 1), null, "CT ABDOMEN",
                    "CTCOHORT", "ABDOMEN");
            MultiSeriesStudy.write(ct, study, archive.resolve("patient" + (s % 50)).resolve(id));
        }
    }
}
